import { Alert, Anchor, Badge, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { levelColor } from '../cases/vocabulary';
import { useFormat } from '../i18n/format';
import { AreaNav } from './AreaNav';
import { ReportFiguresQuery } from './documents';
import { reportTables, type FigureSection, type KeyKind } from './figures';
import { formatMonth } from './labels';

// ECharts is a chunk of its own (shared with the dashboard's charts), loaded only when a report is opened.
const ReportCharts = lazy(() => import('./ReportCharts'));

/** One report: its figures as charts (ECharts) with their tables, and its CSV and printable HTML. */
export function ReportPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  // Reports have no node(id): the page reads the reports, a page at a time, until it meets its own.
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ReportFiguresQuery, variables: { first: 100, after } });
  const connection = data?.reports;
  const report = connection?.nodes.find((r) => r.id === id);
  useEffect(() => {
    if (connection && !report && connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
      setAfter(connection.pageInfo.endCursor);
    }
  }, [connection, report]);

  const sections = useMemo<FigureSection[]>(() => {
    if (!report) {
      return [];
    }
    const label = (kind: KeyKind, key: string, subKey: string | null | undefined): string => {
      switch (kind) {
        case 'country':
          return format.country(key);
        case 'eventType':
          return tc(`caseDesk.eventType.${key}`, { defaultValue: key });
        case 'interventionType':
          return tc(`caseDesk.intervention.${key}`, { defaultValue: key });
        case 'status':
          return tc(`caseDesk.status.${key}`, { defaultValue: key });
        case 'mechanism':
          return `${t(`mechanism.${key}`, { defaultValue: key })} · ${t(`submissionStatus.${subKey ?? ''}`, { defaultValue: subKey ?? '' })}`;
        default:
          return key;
      }
    };
    return reportTables.map(({ table, key }) => {
      const rows = report.figures
        .filter((f) => f.table === table)
        .map((f) => ({ key: f.key, subKey: f.subKey ?? null, label: label(key, f.key, f.subKey), count: Number(f.count), formatted: format.number(Number(f.count)) }));
      if (key === 'year') {
        rows.sort((a, b) => Number(a.key) - Number(b.key));
      }
      const header = key === 'eventType' || key === 'interventionType' ? 'type' : key;
      return { table, title: t(`reports.table.${table}`), keyHeader: t(`reports.keyHeader.${header}`), hasSubKey: key === 'mechanism', rows };
    });
  }, [report, format.locale, t, tc]);

  if (error && !connection) {
    return (
      <>
        <AreaNav />
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      </>
    );
  }
  if (!report) {
    const searching = fetching || !connection || connection.pageInfo.hasNextPage;
    return (
      <>
        <AreaNav />
        {searching ? (
          <Loader aria-label={tc('app.loading')} />
        ) : (
          <Stack align="flex-start">
            <Title order={1}>{t('reports.title')}</Title>
            <Alert color="gray" data-testid="report-not-found">
              {t('reports.notFound')}
            </Alert>
            <Anchor component={Link} to="/reports">
              {t('reports.back')}
            </Anchor>
          </Stack>
        )}
      </>
    );
  }

  const month = formatMonth(format.locale, report.month);
  return (
    <>
      <AreaNav />
      <Anchor component={Link} to="/reports" size="sm">
        ← {t('reports.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" mt="xs" mb="md">
        <Stack gap={4}>
          <Title order={1} data-testid="report-title" data-month={report.month}>
            {t('reports.reportTitle', { month })}
          </Title>
          <Group gap="xs">
            <Badge color={levelColor[report.clearance]} variant="filled">
              {tc(`clearance.${report.clearance}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('reports.meta', { clearance: tc(`clearance.${report.clearance}`), date: format.dateTime(report.generatedAt) })}
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          <Button component="a" href={report.csvUrl} download data-testid="download-csv">
            {t('reports.downloadCsv')}
          </Button>
          <Button component="a" href={report.htmlUrl} target="_blank" rel="noopener noreferrer" variant="default" data-testid="open-html">
            {t('reports.openHtml')}
          </Button>
        </Group>
      </Group>
      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label={tc('app.loading')} />
          </Center>
        }
      >
        <ReportCharts sections={sections} />
      </Suspense>
    </>
  );
}
