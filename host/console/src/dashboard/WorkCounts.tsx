import { Anchor, Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useFormat } from '../i18n/format';
import { isoDate } from './dates';
import { DashboardWorkMeQuery, DashboardWorkQuery } from './queries';

/**
 * My work in figures (staff, signed in as a person): my open tasks, those overdue, my unread mentions — each a link to
 * "My work". The tasks are counted by the API (`tasks(filter: { assigneeId, statuses, dueTo }) { totalCount }`).
 */
export function WorkCounts() {
  const { t } = useTranslation('dashboard');
  const { number } = useFormat();
  const [{ data: me }] = useQuery({ query: DashboardWorkMeQuery });
  const assigneeId = me?.me.account?.id;
  const now = new Date();
  const yesterday = isoDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  const [{ data }] = useQuery({ query: DashboardWorkQuery, variables: { assigneeId: assigneeId ?? '', yesterday }, pause: !assigneeId });
  if (!data) {
    return null;
  }
  const items = [
    { id: 'my-open-tasks', label: t('work.openTasks'), value: data.openTasks.totalCount },
    { id: 'my-overdue-tasks', label: t('work.overdue'), value: data.overdueTasks.totalCount },
    { id: 'my-unread-mentions', label: t('work.mentions'), value: data.myWork.unreadMentions.length },
  ];
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 3 }} spacing="md" m={0} aria-label={t('work.label')} data-testid="work-counts">
      {items.map((item) => (
        <Paper key={item.id} withBorder p="md" radius="md" data-kpi={item.id} data-value={item.value}>
          <Text component="dt" size="sm" c="dimmed" fw={600}>
            {item.label}
          </Text>
          <Text component="dd" m={0} fz={28} fw={700} lh={1.2} data-testid={`kpi-${item.id}`}>
            <Anchor component={Link} to="/work" inherit c={item.id === 'my-overdue-tasks' && item.value > 0 ? 'red.9' : undefined} aria-label={t('work.open', { label: item.label, count: item.value })}>
              {number(item.value)}
            </Anchor>
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
