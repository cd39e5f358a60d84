import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { levelColor } from '../cases/vocabulary';
import { useFormat } from '../i18n/format';
import { AreaNav } from './AreaNav';
import { ReportListQuery } from './documents';
import { formatMonth } from './labels';
import { CursorPager } from '../common/CursorPager';

const pageSize = 24;

/** The monthly reports the person's clearance reaches: month, clearance, when made, open, CSV, HTML. */
export function ReportList() {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ReportListQuery,
    variables: { first: pageSize, after: cursors[cursors.length - 1] ?? null },
  });
  const connection = data?.reports;

  return (
    <>
      <AreaNav />
      <Title order={1} mb="xs">
        {t('reports.title')}
      </Title>
      <Text c="dimmed" mb="md" maw={720}>
        {t('reports.intro')}
      </Text>
      {error && !connection ? (
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      ) : !connection ? (
        fetching && <Loader aria-label={tc('app.loading')} />
      ) : (
        <Paper withBorder p="md" radius="md">
          <Text size="sm" mb="xs" data-testid="report-count">
            {t('reports.count', { count: connection.totalCount })}
          </Text>
          {connection.nodes.length === 0 ? (
            <Text>{t('reports.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover data-testid="report-list">
                <caption style={{ textAlign: 'left', captionSide: 'top', fontWeight: 600 }}>{t('reports.caption')}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('reports.month')}</Table.Th>
                    <Table.Th scope="col">{t('reports.clearance')}</Table.Th>
                    <Table.Th scope="col">{t('reports.generatedAt')}</Table.Th>
                    <Table.Th scope="col">{t('reports.files')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {connection.nodes.map((report) => {
                    const month = formatMonth(format.locale, report.month);
                    return (
                      <Table.Tr key={report.id} data-report-id={report.id} data-month={report.month}>
                        <Table.Th scope="row">
                          <Anchor component={Link} to={`/reports/${encodeURIComponent(report.id)}`} aria-label={t('reports.open', { month })}>
                            {month}
                          </Anchor>
                        </Table.Th>
                        <Table.Td>
                          <Badge color={levelColor[report.clearance]} variant="filled">
                            {tc(`clearance.${report.clearance}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{format.dateTime(report.generatedAt)}</Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Anchor href={report.csvUrl} download aria-label={t('reports.csvOf', { month })}>
                              {t('reports.csv')}
                            </Anchor>
                            <Anchor href={report.htmlUrl} target="_blank" rel="noopener noreferrer" aria-label={t('reports.htmlOf', { month })}>
                              {t('reports.html')}
                            </Anchor>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <CursorPager cursors={cursors} pageInfo={connection.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
        </Paper>
      )}
    </>
  );
}
