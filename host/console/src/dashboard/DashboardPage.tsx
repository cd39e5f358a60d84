import { Alert, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { statisticsDraft } from '../reports/scheduled/drafts';
import { ScheduleViewButton } from '../reports/scheduled/ScheduleViewButton';
import { ShellMeQuery } from '../shell/ShellMe';
import { periods } from './dates';
import './i18n';
import { dashboardNamespace } from './i18n';
import { Kpis } from './Kpis';
import { DashboardFiguresQuery, figuresVariables } from './figures';
import { RecentChanges } from './RecentChanges';
import { Upcoming } from './Upcoming';
import { WorkCounts } from './WorkCounts';

// The charts (ECharts) and the map (world-atlas + d3-geo) are chunks of their own, never part of the initial JavaScript,
// asked for once the figures and the console's own chunk are there (main.tsx, when the console is opened on the
// dashboard: on a cold load they do not take the bandwidth from either) or when this page is shown.
const loadCharts = () => import('./charts/DashboardCharts');
const loadMap = () => import('./map/WorldMap');
const DashboardCharts = lazy(loadCharts);
const WorldMap = lazy(loadMap);

/** Roles that may read reminders (the API's rule: STAFF and up). */
const staffRoles = new Set(['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM']);

/** /console/ — the dashboard: key figures, charts, world map, the next 30 days, latest changes; all within the person's clearance. */
export default function DashboardPage() {
  const { t } = useTranslation(dashboardNamespace);
  const period = useMemo(() => periods(), []);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DashboardFiguresQuery,
    variables: figuresVariables(period),
  });
  const [{ data: me }] = useQuery({ query: ShellMeQuery });
  const staff = staffRoles.has(me?.me.role ?? '');
  useEffect(() => {
    void loadCharts();
    void loadMap();
  }, []);

  return (
    <Stack gap="lg" data-testid="dashboard">
      <Group justify="space-between">
        <Title order={1}>{t('title')}</Title>
        {staff && (
          <ScheduleViewButton
            label={t('schedule.label')}
            testId="schedule-dashboard"
            views={[
              { label: t('schedule.byCountry'), draft: () => statisticsDraft(t('charts.byCountry'), 'COUNTRY', 'dashboard:charts.country', 'dashboard:charts.cases') },
              { label: t('schedule.byYear'), draft: () => statisticsDraft(t('charts.byYear'), 'YEAR', 'dashboard:charts.year', 'dashboard:charts.cases') },
              { label: t('schedule.byEventType'), draft: () => statisticsDraft(t('charts.byEventType'), 'EVENT_TYPE', 'dashboard:charts.eventType', 'dashboard:charts.events') },
            ]}
          />
        )}
      </Group>
      {error && !data ? (
        <Alert color="red" title={t('loadError')} data-testid="dashboard-error">
          <Button size="xs" variant="light" onClick={() => refetch({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      ) : !data || fetching && !data ? (
        <FiguresSkeleton />
      ) : (
        <>
          <Kpis
            period={period}
            figures={{
              open: data.openCases.totalCount,
              newThisMonth: data.newThisMonth.totalCount,
              interventionsThisMonth: data.interventionsThisMonth,
              interventionsThisYear: data.interventionsThisYear,
              total: data.caseCount,
            }}
          />
          {/* My work's counts are asked for once the key figures are in: they take no bandwidth from them. */}
          {staff && <WorkCounts />}
          <Suspense fallback={<ChartsSkeleton />}>
            <DashboardCharts byCountry={data.byCountry} byYear={data.byYear} byEventType={data.byEventType} />
          </Suspense>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Suspense fallback={<Skeleton height={420} radius="md" role="status" aria-label={t('map.loading')} />}>
                <WorldMap byCountry={data.byCountry} />
              </Suspense>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <RecentChanges after />
            </Grid.Col>
          </Grid>
        </>
      )}
      <Upcoming from={period.today} to={period.in30Days} staff={staff} />
    </Stack>
  );
}

function FiguresSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="md">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} height={96} radius="md" />
        ))}
      </SimpleGrid>
      <ChartsSkeleton />
    </Stack>
  );
}

function ChartsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
      {Array.from({ length: 3 }, (_, i) => (
        <Paper key={i} withBorder p="md" radius="md">
          <Skeleton height={280} />
        </Paper>
      ))}
    </SimpleGrid>
  );
}
