import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { DataTable, type DataRow } from '../DataTable';
import { underTest } from '../dates';
import { EChart } from '../../charts/EChart';

export interface Bucket {
  key: string;
  count: number;
}

/** How many countries the country chart draws (the table under it lists every one). */
const topCountries = 15;

/** Cases by country, by year and by event type: ECharts bar charts, each with a title and its data as a table. */
export default function DashboardCharts({ byCountry, byYear, byEventType }: { byCountry: Bucket[]; byYear: Bucket[]; byEventType: Bucket[] }) {
  const { t } = useTranslation('dashboard');
  const format = useFormat();

  const countryRows = useMemo(
    () => rows(byCountry, (k) => format.country(k), format.number),
    [byCountry, format.locale],
  );
  const yearRows = useMemo(
    () => rows([...byYear].sort((a, b) => Number(a.key) - Number(b.key)), (k) => k, format.number),
    [byYear, format.locale],
  );
  const eventRows = useMemo(
    () => rows(byEventType, (k) => t(`eventType.${k}`, { defaultValue: k }), format.number),
    [byEventType, format.locale, t],
  );

  const countryTitle = byCountry.length > topCountries ? t('charts.byCountryTop', { count: topCountries }) : t('charts.byCountry');

  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
      <ChartCard
        id="chart-by-country"
        title={countryTitle}
        tableTitle={t('charts.byCountry')}
        keyHeader={t('charts.country')}
        valueHeader={t('charts.cases')}
        rows={countryRows}
        option={horizontalBars(countryRows.slice(0, topCountries), format.number)}
        height={Math.max(160, Math.min(topCountries, countryRows.length) * 24 + 40)}
      />
      <ChartCard
        id="chart-by-year"
        title={t('charts.byYear')}
        tableTitle={t('charts.byYear')}
        keyHeader={t('charts.year')}
        valueHeader={t('charts.cases')}
        rows={yearRows}
        option={verticalBars(yearRows, format.number)}
        height={300}
      />
      <ChartCard
        id="chart-by-event-type"
        title={t('charts.byEventType')}
        tableTitle={t('charts.byEventType')}
        keyHeader={t('charts.eventType')}
        valueHeader={t('charts.events')}
        rows={eventRows}
        option={horizontalBars(eventRows, format.number)}
        height={Math.max(160, eventRows.length * 24 + 40)}
      />
    </SimpleGrid>
  );
}

function rows(buckets: Bucket[], label: (key: string) => string, number: (n: number) => string): DataRow[] {
  return buckets.map((b) => ({ key: b.key, label: label(b.key), value: b.count, formatted: number(b.count) }));
}

function ChartCard(props: {
  id: string;
  title: string;
  tableTitle: string;
  keyHeader: string;
  valueHeader: string;
  rows: DataRow[];
  option: EChartsCoreOption;
  height: number;
}) {
  const { t } = useTranslation('dashboard');
  const headingId = `${props.id}-title`;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby={headingId} data-testid={props.id}>
      <Title order={3} size="h5" id={headingId} mb="xs">
        {props.title}
      </Title>
      {props.rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('charts.empty')}
        </Text>
      ) : (
        <EChart option={props.option} height={props.height} label={props.title} />
      )}
      <DataTable
        id={`${props.id}-data`}
        caption={t('charts.tableCaption', { title: props.tableTitle })}
        keyHeader={props.keyHeader}
        valueHeader={props.valueHeader}
        rows={props.rows}
      />
    </Paper>
  );
}

const common = {
  animation: !underTest,
  color: ['#1c5d99'],
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
};

/** Bars left to right, largest at the top (the rows come largest first). */
function horizontalBars(data: DataRow[], number: (n: number) => string): EChartsCoreOption {
  const shown = [...data].reverse();
  return {
    ...common,
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { hideOverlap: true, formatter: (v: number) => number(v) } },
    yAxis: { type: 'category', data: shown.map((r) => r.label), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((r) => r.value), barMaxWidth: 18, tooltip: { valueFormatter: (v: number) => number(v) } }],
  };
}

function verticalBars(data: DataRow[], number: (n: number) => string): EChartsCoreOption {
  return {
    ...common,
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: data.map((r) => r.label) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => number(v) } },
    series: [{ type: 'bar', data: data.map((r) => r.value), barMaxWidth: 28, tooltip: { valueFormatter: (v: number) => number(v) } }],
  };
}
