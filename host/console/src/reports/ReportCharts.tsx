import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useTranslation } from 'react-i18next';
import { EChart } from '../charts/EChart';
import { useFormat } from '../i18n/format';
import { underTest } from '../dashboard/dates';
import { maxBars, type FigureRow, type FigureSection } from './figures';

/** Each table of a report: an ECharts bar chart of its largest rows, then the table of every row (the API's figures). */
export default function ReportCharts({ sections }: { sections: FigureSection[] }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {sections.map((section) => (
        <FigureCard key={section.table} section={section} />
      ))}
    </SimpleGrid>
  );
}

function FigureCard({ section }: { section: FigureSection }) {
  const { t } = useTranslation('reports');
  const format = useFormat();
  const headingId = `report-${section.table}-title`;
  const drawn = [...section.rows].sort((a, b) => b.count - a.count).slice(0, maxBars);
  const chartLabel =
    section.rows.length > drawn.length ? t('reports.chartTop', { title: section.title, count: maxBars }) : t('reports.chartOf', { title: section.title });
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby={headingId} data-testid={`report-${section.table}`}>
      <Title order={2} size="h4" id={headingId} mb="xs">
        {section.title}
      </Title>
      {section.rows.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('reports.none')}
        </Text>
      ) : (
        <>
          <div data-testid={`chart-${section.table}`} data-values={drawn.map((r) => r.count).join(',')} data-keys={drawn.map((r) => keyOf(r)).join(',')}>
            <EChart option={bars(drawn, format.number)} height={Math.max(120, drawn.length * 26 + 40)} label={chartLabel} />
          </div>
          <Table.ScrollContainer minWidth={280}>
            <Table striped data-testid={`table-${section.table}`} mt="sm">
              <caption style={{ textAlign: 'left', captionSide: 'top', fontSize: 'var(--mantine-font-size-sm)' }}>
                {t('reports.tableCaption', { title: section.title })}
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{section.keyHeader}</Table.Th>
                  <Table.Th scope="col" style={{ textAlign: 'right' }}>
                    {t('reports.count')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {section.rows.map((row) => (
                  <Table.Tr key={keyOf(row)} data-key={row.key} data-sub-key={row.subKey ?? ''} data-count={row.count}>
                    <Table.Th scope="row" fw={400}>
                      {row.label}
                    </Table.Th>
                    <Table.Td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{row.formatted}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Paper>
  );
}

function keyOf(row: FigureRow): string {
  return row.subKey ? `${row.key}/${row.subKey}` : row.key;
}

/** Horizontal bars, the largest at the top. */
function bars(rows: FigureRow[], number: (n: number) => string): EChartsCoreOption {
  const shown = [...rows].reverse();
  return {
    animation: !underTest,
    color: ['#1c5d99'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { hideOverlap: true, formatter: (v: number) => number(v) } },
    yAxis: { type: 'category', data: shown.map((r) => r.label), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((r) => r.count), barMaxWidth: 18, tooltip: { valueFormatter: (v: number) => number(v) } }],
  };
}
