import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { formatCalendarDate } from './dates';

export interface KpiFigures {
  open: number;
  newThisMonth: number;
  interventionsThisMonth: number;
  interventionsThisYear: number;
  total: number;
}

interface Period {
  monthStart: string;
  monthEnd: string;
  yearStart: string;
  yearEnd: string;
}

/** The key figures: each a labelled number (a <dl>), with the period it counts. */
export function Kpis({ figures, period }: { figures: KpiFigures; period: Period }) {
  const { t } = useTranslation('dashboard');
  const { number, locale } = useFormat();
  const range = (from: string, to: string) =>
    t('kpi.period', { from: formatCalendarDate(locale, from), to: formatCalendarDate(locale, to) });
  const items = [
    { id: 'open', label: t('kpi.open'), value: figures.open, hint: t('kpi.openHint') },
    { id: 'new-this-month', label: t('kpi.newThisMonth'), value: figures.newThisMonth, hint: range(period.monthStart, period.monthEnd) },
    {
      id: 'interventions-month',
      label: t('kpi.interventionsMonth'),
      value: figures.interventionsThisMonth,
      hint: range(period.monthStart, period.monthEnd),
    },
    {
      id: 'interventions-year',
      label: t('kpi.interventionsYear'),
      value: figures.interventionsThisYear,
      hint: range(period.yearStart, period.yearEnd),
    },
    { id: 'total', label: t('kpi.total'), value: figures.total, hint: null },
  ];
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: 5 }} spacing="md" m={0} aria-label={t('kpi.label')} data-testid="kpis">
      {items.map((item) => (
        <Paper key={item.id} withBorder p="md" radius="md" data-kpi={item.id} data-value={item.value}>
          <Text component="dt" size="sm" c="dimmed" fw={600}>
            {item.label}
          </Text>
          <Text component="dd" m={0} fz={32} fw={700} lh={1.2} data-testid={`kpi-${item.id}`}>
            {number(item.value)}
          </Text>
          {item.hint && (
            <Text component="dd" m={0} size="xs" c="dimmed">
              {item.hint}
            </Text>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}
