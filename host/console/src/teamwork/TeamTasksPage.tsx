import { Alert, Group, Input, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { CursorPager } from '../common/CursorPager';
import { useFormat } from '../i18n/format';
import { useColleagueOptions } from './colleagues';
import { TasksQuery } from './documents';
import { Section } from '../common/Section';
import { fromToday } from './records';
import { TaskTable } from './TaskTable';

const windows = ['all', 'overdue', 'week', 'month'] as const;
type DueWindow = (typeof windows)[number];
const pageSize = 25;

/** The due window's dates: overdue = before today; week / month = from today to 7 / 30 days on. */
function dueRange(window: DueWindow): { dueFrom?: string; dueTo?: string } {
  switch (window) {
    case 'overdue':
      return { dueTo: fromToday(-1) };
    case 'week':
      return { dueFrom: fromToday(0), dueTo: fromToday(7) };
    case 'month':
      return { dueFrom: fromToday(0), dueTo: fromToday(30) };
    default:
      return {};
  }
}

/**
 * /console/work/team — the team's open tasks (every assignee's, on the records the person may see), by due date,
 * filtered by assignee and due window, 25 a page with the API's cursors. Filters and page are in the URL
 * (`?assignee=…&due=overdue&after=…`).
 */
export function TeamTasksPage() {
  const { t } = useTranslation();
  const { number } = useFormat();
  const [params, setParams] = useSearchParams();
  const assignee = params.get('assignee');
  const due = (windows as readonly string[]).includes(params.get('due') ?? '') ? (params.get('due') as DueWindow) : 'all';
  const cursors = params.getAll('after');
  const variables = useMemo(
    () => ({
      filter: { statuses: ['OPEN' as const], assigneeId: assignee, ...dueRange(due) },
      first: pageSize,
      after: cursors.at(-1) ?? null,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [assignee, due, cursors.join(',')],
  );
  const [{ data, error }, reexecute] = useQuery({ query: TasksQuery, variables });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const tasks = data?.tasks.nodes ?? [];
  const known = useMemo(() => tasks.map((task) => task.assignee), [tasks]);
  const colleagues = useColleagueOptions(known);

  const change = (next: { assignee?: string | null; due?: DueWindow; cursors?: string[] }) => {
    const values = new URLSearchParams();
    const a = next.assignee !== undefined ? next.assignee : assignee;
    const d = next.due ?? due;
    if (a) values.set('assignee', a);
    if (d !== 'all') values.set('due', d);
    (next.cursors ?? []).forEach((c) => values.append('after', c));
    setParams(values);
  };

  return (
    <Stack gap="md" data-testid="team-work">
      <Group gap="md" align="flex-end">
        <Select
          label={t('teamwork.team.assignee')}
          placeholder={t('teamwork.team.everyone')}
          data={colleagues}
          value={assignee}
          onChange={(value) => change({ assignee: value })}
          searchable
          clearable
          w={260}
        />
        <Stack gap={4}>
          <Input.Label component="div" id="team-due-label">
            {t('teamwork.team.due')}
          </Input.Label>
          <SegmentedControl
            aria-labelledby="team-due-label"
            value={due}
            onChange={(value) => change({ due: value as DueWindow })}
            data={windows.map((w) => ({ value: w, label: t(`teamwork.team.window.${w}`) }))}
          />
        </Stack>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error.graphQLErrors[0]?.message ?? error.message}
        </Alert>
      )}
      <Section title={t('teamwork.team.title', { count: data?.tasks.totalCount ?? 0, formatted: number(data?.tasks.totalCount ?? 0) })} testId="team-tasks">
        {data && tasks.length === 0 ? (
          <Text>{t('teamwork.team.none')}</Text>
        ) : (
          <TaskTable tasks={tasks} label={t('teamwork.team.tableLabel')} showRecord showStatus={false} colleagues={colleagues} onChanged={refresh} />
        )}
        <CursorPager
          cursors={cursors}
          pageInfo={data?.tasks.pageInfo}
          onChange={(next) => change({ cursors: next })}
          previousLabel={t('teamwork.team.previous')}
          nextLabel={t('teamwork.team.next')}
          mt="md"
        />
      </Section>
    </Stack>
  );
}
