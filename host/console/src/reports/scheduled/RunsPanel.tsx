import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { CursorPager } from '../../common/CursorPager';
import { QueryState } from '../../common/QueryState';
import { useBytes } from '../../files/useTusUpload';
import { useFormat } from '../../i18n/format';
import { ReportRunsQuery } from './documents';
import { formatDuration, runStatusColor } from './schedule';

const pageSize = 10;

/**
 * A definition's runs, newest first: when, why, status, rows, duration, error, and the files to download (plain links
 * to the API's addresses: the session cookie is the credential, as for the monthly reports' files).
 */
export function RunsPanel({ definitionId, version }: { definitionId: string; version: number }) {
  const { t } = useTranslation('reports');
  const format = useFormat();
  const bytes = useBytes();
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ReportRunsQuery,
    variables: { definitionId, first: pageSize, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  // A run made on this page (run now): the first page again, from the API.
  useEffect(() => {
    if (version > 0) {
      setCursors([]);
      reexecute({ requestPolicy: 'network-only' });
    }
  }, [version, reexecute]);
  const connection = data?.reportRuns;

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="runs-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="runs-title">
          {t('scheduled.runs.title')}
        </Title>
        <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })} loading={fetching && !!connection}>
          {t('scheduled.runs.refresh')}
        </Button>
      </Group>
      <QueryState
        data={connection}
        fetching={fetching}
        error={error}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        errorTitle={t('loadError')}
        retryLabel={t('retry')}
      >
        {(connection) =>
          connection.nodes.length === 0 ? (
            <Text>{t('scheduled.runs.empty')}</Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={820}>
                <Table striped data-testid="run-list">
                  <caption style={{ textAlign: 'left', captionSide: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>
                    {t('scheduled.runs.count', { count: connection.totalCount })}
                  </caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('scheduled.runs.started')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.trigger')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.status')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.rows')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.duration')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.files')}</Table.Th>
                      <Table.Th scope="col">{t('scheduled.runs.error')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {connection.nodes.map((run) => {
                      const when = format.dateTime(run.startedAt);
                      return (
                        <Table.Tr key={run.id} data-run-id={run.id} data-status={run.status}>
                          <Table.Th scope="row" style={{ whiteSpace: 'nowrap' }}>
                            {when}
                          </Table.Th>
                          <Table.Td>{t(`scheduled.trigger.${run.trigger}`, { defaultValue: run.trigger })}</Table.Td>
                          <Table.Td>
                            <Badge color={runStatusColor[run.status]} variant="filled" data-testid="run-status">
                              {t(`scheduled.status.${run.status}`)}
                            </Badge>
                          </Table.Td>
                          <Table.Td data-testid="run-rows">{run.rows === null || run.rows === undefined ? '' : format.number(run.rows)}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDuration(format.locale, run.durationMs)}</Table.Td>
                          <Table.Td>
                            {run.files.length === 0 ? (
                              <Text size="sm">{t('scheduled.runs.noFiles')}</Text>
                            ) : (
                              <Stack gap={2}>
                                {run.files.map((file) => (
                                  <Anchor key={file.name} href={file.url} download={file.name} size="sm" aria-label={t('scheduled.runs.download', { name: file.name, when })} data-file={file.name}>
                                    {file.name} ({bytes(file.size)})
                                  </Anchor>
                                ))}
                              </Stack>
                            )}
                          </Table.Td>
                          <Table.Td style={{ maxWidth: 320, overflowWrap: 'anywhere' }}>
                            {run.error && (
                              <Text size="sm" c="red.9" data-testid="run-error">
                                {run.error}
                              </Text>
                            )}
                            {run.nextAttemptAt && <Text size="sm">{t('scheduled.runs.retryAt', { when: format.dateTime(run.nextAttemptAt) })}</Text>}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <CursorPager cursors={cursors} pageInfo={connection.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
            </>
          )
        }
      </QueryState>
    </Paper>
  );
}
