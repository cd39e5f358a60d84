import { Button, Group, Table, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { TaskFieldsFragment } from '../gql/graphql';
import { newClientMutationId } from '../common/mutationErrors';
import type { ColleagueOption } from './colleagues';
import { CompleteTaskMutation } from './documents';
import { CancelTaskForm, ReassignForm } from './forms';
import { notifyDone, notifyRefusal } from './notify';
import { DueDay, RecordLink, TaskStatusBadge, today } from './records';

interface TaskTableProps {
  tasks: readonly TaskFieldsFragment[];
  /** The table's accessible name. */
  label: string;
  showRecord?: boolean;
  showAssignee?: boolean;
  /** A list of open tasks only (My work, the team's open tasks) needs no status column. */
  showStatus?: boolean;
  /** Offered when reassigning (the people the screen knows; see useColleagueOptions). */
  colleagues: ColleagueOption[];
  /** Called after a task changed (the screen reads its lists again). */
  onChanged: () => void;
  testId?: string;
}

/** Tasks by due date with, for an open one, "Done", "Reassign" and "Cancel"; an overdue open task is marked. */
export function TaskTable({ tasks, label, showRecord = false, showAssignee = true, showStatus = true, colleagues, onChanged, testId }: TaskTableProps) {
  const { t } = useTranslation();
  const [reassigning, setReassigning] = useState<TaskFieldsFragment | null>(null);
  const [cancelling, setCancelling] = useState<TaskFieldsFragment | null>(null);
  const complete = useComplete(onChanged);
  const now = today();
  return (
    <>
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label={label} data-testid={testId} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('teamwork.task.dueOn')}</Table.Th>
              <Table.Th scope="col">{t('teamwork.task.title')}</Table.Th>
              {showRecord && <Table.Th scope="col">{t('teamwork.task.record')}</Table.Th>}
              {showAssignee && <Table.Th scope="col">{t('teamwork.task.assignee')}</Table.Th>}
              {showStatus && <Table.Th scope="col">{t('teamwork.task.statusLabel')}</Table.Th>}
              <Table.Th scope="col">{t('teamwork.task.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.map((task) => {
              const overdue = task.status === 'OPEN' && task.dueOn < now;
              return (
                <Table.Tr key={task.id} data-task-id={task.id} data-status={task.status}>
                  <Table.Td style={overdue ? { boxShadow: 'inset 4px 0 0 var(--mantine-color-red-9)' } : undefined}>
                    <DueDay dueOn={task.dueOn} overdue={overdue} />
                  </Table.Td>
                  <Table.Td>{task.title}</Table.Td>
                  {showRecord && (
                    <Table.Td>
                      <RecordLink record={task.record} />
                    </Table.Td>
                  )}
                  {showAssignee && <Table.Td>{task.assignee?.name ?? t('teamwork.task.noAssignee')}</Table.Td>}
                  {showStatus && (
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <TaskStatusBadge status={task.status} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    {task.status === 'OPEN' ? (
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" onClick={() => void complete(task)} aria-label={t('teamwork.task.doneLabel', { title: task.title })}>
                          {t('teamwork.task.done')}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="default"
                          onClick={() => setReassigning(task)}
                          aria-label={t('teamwork.task.reassignLabel', { title: task.title })}
                        >
                          {t('teamwork.task.reassign')}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="default"
                          onClick={() => setCancelling(task)}
                          aria-label={t('teamwork.task.cancelLabel', { title: task.title })}
                        >
                          {t('teamwork.task.cancel')}
                        </Button>
                      </Group>
                    ) : (
                      <Text size="xs" c="dimmed" component="span">
                        —
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ReassignForm opened={!!reassigning} onClose={() => setReassigning(null)} onDone={onChanged} task={reassigning} colleagues={colleagues} />
      <CancelTaskForm opened={!!cancelling} onClose={() => setCancelling(null)} onDone={onChanged} task={cancelling} />
    </>
  );
}

/**
 * "Done" on an open task: completeTask with the task's version and one clientMutationId per task, kept until it is
 * written (a double click writes once); a refusal (a CONFLICT, a task no longer open) is told in a notification.
 */
function useComplete(onChanged: () => void) {
  const { t } = useTranslation();
  const [, completeTask] = useMutation(CompleteTaskMutation);
  const ids = useRef(new Map<string, string>());
  const inFlight = useRef(new Set<string>());
  return async (task: TaskFieldsFragment) => {
    if (inFlight.current.has(task.id)) {
      return;
    }
    inFlight.current.add(task.id);
    const clientMutationId = ids.current.get(task.id) ?? newClientMutationId();
    ids.current.set(task.id, clientMutationId);
    try {
      const result = await completeTask({ input: { clientMutationId, taskId: task.id, expectedVersion: task.version } });
      if (result.error) {
        notifyRefusal(result.error);
        onChanged();
        return;
      }
      ids.current.delete(task.id);
      notifyDone(t('teamwork.task.completed', { title: task.title }));
      onChanged();
    } finally {
      inFlight.current.delete(task.id);
    }
  };
}
