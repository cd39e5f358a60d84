import { Anchor, Badge, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { levelColor } from '../../cases/vocabulary';
import { CursorPager } from '../../common/CursorPager';
import { QueryState } from '../../common/QueryState';
import type { Confidentiality } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { AreaNav } from '../AreaNav';
import { DefinitionFormModal } from './DefinitionForm';
import { ReportDefinitionsQuery } from './documents';
import { newDefinitionPath, type ReportDraft } from './drafts';
import { runStatusColor, scheduleInWords } from './schedule';

const pageSize = 25;
const listPath = '/reports/definitions';

/**
 * /reports/definitions: the report definitions the person owns or receives (an ADMIN: all) — name, schedule in words
 * and time zone, files, level, last run. /reports/definitions/new opens the editor over it, with the draft of the view
 * "schedule this view" came from (router state) or blank; once saved, the definition's page.
 */
export function DefinitionsPage() {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const location = useLocation();
  const navigate = useNavigate();
  const creating = location.pathname.replace(/\/$/, '').endsWith('/new');
  const draft = (location.state as { draft?: ReportDraft } | null)?.draft ?? null;
  const saved = useRef(false);
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ReportDefinitionsQuery,
    variables: { first: pageSize, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.reportDefinitions;
  const me = { id: data?.me.id, role: data?.me.role ?? 'STAFF', clearance: (data?.me.clearance ?? 'STAFF') as Confidentiality };

  return (
    <>
      <AreaNav />
      <Group justify="space-between" mb="xs">
        <Title order={1}>{t('scheduled.title')}</Title>
        <Button component={Link} to={newDefinitionPath} data-testid="create-definition">
          {t('scheduled.create')}
        </Button>
      </Group>
      <Text c="dimmed" mb="md" maw={760}>
        {t('scheduled.intro')}
      </Text>
      <QueryState
        data={connection}
        fetching={fetching}
        error={error}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        errorTitle={t('loadError')}
        retryLabel={t('retry')}
      >
        {(connection) => (
          <Paper withBorder p="md" radius="md">
            <Text size="sm" mb="xs" data-testid="definition-count">
              {t('scheduled.count', { count: connection.totalCount })}
            </Text>
            {connection.nodes.length === 0 ? (
              <Text>{t('scheduled.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table striped highlightOnHover data-testid="definition-list">
                  <caption style={{ textAlign: 'left', captionSide: 'top', fontWeight: 600 }}>{t('scheduled.caption')}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('scheduled.column.name')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.column.schedule')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.column.formats')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.column.level')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.column.lastRun')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {connection.nodes.map((d) => (
                      <Table.Tr key={d.id} data-definition-id={d.id} data-name={d.name}>
                        <Table.Th scope="row">
                          <Anchor component={Link} to={`${listPath}/${encodeURIComponent(d.id)}`} aria-label={t('scheduled.open', { name: d.name })}>
                            {d.name}
                          </Anchor>
                        </Table.Th>
                        <Table.Td data-testid="definition-schedule">
                          {d.cron ? t('scheduled.inZone', { schedule: scheduleInWords(t, format.locale, d.cron), zone: d.timeZone }) : t('scheduled.words.onDemand')}
                        </Table.Td>
                        <Table.Td>{d.formats.join(', ')}</Table.Td>
                        <Table.Td>
                          <Badge color={levelColor[d.confidentiality]} variant="filled">
                            {tc(`clearance.${d.confidentiality}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td data-testid="definition-last-run">
                          {d.lastRun ? (
                            <Group gap="xs" wrap="nowrap">
                              <Badge color={runStatusColor[d.lastRun.status]} variant="filled">
                                {t(`scheduled.status.${d.lastRun.status}`)}
                              </Badge>
                              <Text size="sm">{format.dateTime(d.lastRun.startedAt)}</Text>
                            </Group>
                          ) : (
                            <Text size="sm">{t('scheduled.neverRun')}</Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <CursorPager cursors={cursors} pageInfo={connection.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
          </Paper>
        )}
      </QueryState>
      <DefinitionFormModal
        opened={creating && data !== undefined}
        onClose={() => {
          if (!saved.current) void navigate(listPath);
          saved.current = false;
        }}
        definition={null}
        draft={draft}
        me={me}
        onSaved={(definition) => {
          saved.current = true;
          void navigate(`${listPath}/${encodeURIComponent(definition.id)}`, { replace: true });
        }}
      />
    </>
  );
}
