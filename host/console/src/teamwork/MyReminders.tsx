import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { levelColor } from '../cases/vocabulary';
import { newClientMutationId } from '../common/mutationErrors';
import { Section } from '../common/Section';
import type { MyWorkQuery as MyWorkResult } from '../gql/graphql';
import { AcknowledgeReminderMutation, SnoozeReminderMutation } from './documents';
import { notifyRefusal } from './notify';
import { DueDay, fromToday, RecordLink, today } from './records';

type Reminder = MyWorkResult['myWork']['reminders'][number];

/** How long "Snooze" puts a reminder away. */
const SNOOZE_DAYS = 7;

/**
 * My reminders (myWork.reminders): the anniversaries, detention milestones and deadlines that reached me as the record's
 * owner, a watcher or its team, due first — each acknowledged (it leaves my work) or snoozed for a week (it comes back then).
 */
export function MyReminders({ reminders, onChanged }: { reminders: Reminder[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const act = useReminderActions(onChanged);
  const title = t('teamwork.work.reminders', { count: reminders.length });
  return (
    <Section title={title} testId="my-reminders">
      {reminders.length === 0 ? (
        <Text>{t('teamwork.work.noReminders')}</Text>
      ) : (
        <Stack component="ul" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {reminders.map((reminder) => (
            <Paper component="li" key={reminder.id} withBorder p="sm" radius="sm" data-reminder-id={reminder.id}>
              <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                <Stack gap={2}>
                  <Text fw={600}>{reminder.title}</Text>
                  <Group gap="xs">
                    <RecordLink record={reminder.record} />
                    <Text size="sm" component="span">
                      · {t('teamwork.work.due')} <DueDay dueOn={reminder.dueOn} overdue={reminder.dueOn < today()} />
                    </Text>
                    <Text size="sm" component="span">
                      · {t(`teamwork.work.reason.${reminder.reason}`, { defaultValue: reminder.reason })}
                    </Text>
                    <Badge size="sm" color={levelColor[reminder.confidentiality]}>
                      {t(`clearance.${reminder.confidentiality}`)}
                    </Badge>
                  </Group>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="compact-xs"
                    onClick={() => void act(reminder, 'acknowledge')}
                    aria-label={t('teamwork.work.acknowledgeLabel', { title: reminder.title })}
                  >
                    {t('teamwork.work.acknowledge')}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => void act(reminder, 'snooze')}
                    aria-label={t('teamwork.work.snoozeLabel', { title: reminder.title })}
                  >
                    {t('teamwork.work.snooze')}
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** Acknowledges or snoozes a reminder: one clientMutationId per reminder and action (a double click is one act), a refusal told. */
function useReminderActions(onChanged: () => void) {
  const [, acknowledge] = useMutation(AcknowledgeReminderMutation);
  const [, snooze] = useMutation(SnoozeReminderMutation);
  const ids = useRef(new Map<string, string>());
  return async (reminder: Reminder, action: 'acknowledge' | 'snooze') => {
    const key = `${action}:${reminder.id}`;
    const clientMutationId = ids.current.get(key) ?? newClientMutationId();
    ids.current.set(key, clientMutationId);
    const input = { clientMutationId, reminderId: reminder.id, expectedVersion: reminder.version };
    const result = action === 'acknowledge' ? await acknowledge({ input }) : await snooze({ input: { ...input, until: fromToday(SNOOZE_DAYS) } });
    if (result.error) {
      notifyRefusal(result.error);
    }
    onChanged();
  };
}
