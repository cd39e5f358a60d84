import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Text, } from '@mantine/core';
import { useCallback, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { levelColor } from '../cases/vocabulary';
import { newClientMutationId } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ArticleHtml } from '../news/ArticleHtml';
import { useColleagueOptions } from './colleagues';
import { MarkMentionReadMutation, MyWorkQuery } from './documents';
import { MyReminders } from './MyReminders';
import { notifyRefusal } from './notify';
import { RecordLink, recordUpdatedAt } from './records';
import { TaskTable } from './TaskTable';
import { Section } from '../common/Section';

/** /console/work — my open tasks by due date, my reminders, the records I own or watch, my unread mentions (myWork). */
export function MyWorkPage() {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: MyWorkQuery, requestPolicy: 'cache-and-network' });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const work = data?.myWork;
  const known = useMemo(() => (work?.openTasks ?? []).map((task) => task.assignee), [work]);
  const colleagues = useColleagueOptions(known);
  const markRead = useMarkRead(refresh);

  if (!work) {
    return fetching ? (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    ) : (
      <Alert color="red" role="alert">
        {error?.graphQLErrors[0]?.message ?? error?.message}
      </Alert>
    );
  }

  return (
    <Stack gap="lg" data-testid="my-work">
      <Section title={t('teamwork.work.tasks', { count: work.openTasks.length })} testId="my-tasks">
        {work.openTasks.length === 0 ? (
          <Text>{t('teamwork.work.noTasks')}</Text>
        ) : (
          <TaskTable
            tasks={work.openTasks}
            label={t('teamwork.work.tasks', { count: work.openTasks.length })}
            showRecord
            showAssignee={false}
            showStatus={false}
            colleagues={colleagues}
            onChanged={refresh}
          />
        )}
      </Section>

      <MyReminders reminders={work.reminders} onChanged={refresh} />

      <Section title={t('teamwork.work.mentions', { count: work.unreadMentions.length })} testId="my-mentions">
        {work.unreadMentions.length === 0 ? (
          <Text>{t('teamwork.work.noMentions')}</Text>
        ) : (
          <Stack component="ul" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {work.unreadMentions.map((mention) => (
              <Paper component="li" key={mention.id} withBorder p="sm" radius="sm" data-mention-id={mention.id}>
                <Group justify="space-between" gap="xs" mb={4}>
                  <Group gap="xs">
                    <RecordLink record={mention.note.record} />
                    <Text size="sm" component="span">
                      · {dateTime(mention.mentionedAt)}
                    </Text>
                    <Badge size="sm" color={levelColor[mention.note.confidentiality]}>
                      {t(`clearance.${mention.note.confidentiality}`)}
                    </Badge>
                  </Group>
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => void markRead(mention.id)}
                    aria-label={t('teamwork.work.markReadLabel', { when: dateTime(mention.mentionedAt) })}
                  >
                    {t('teamwork.work.markRead')}
                  </Button>
                </Group>
                <ArticleHtml html={mention.note.bodyHtml} />
              </Paper>
            ))}
          </Stack>
        )}
      </Section>

      <Section title={t('teamwork.work.records', { count: work.records.length })} testId="my-records">
        {work.records.length === 0 ? (
          <Text>{t('teamwork.work.noRecords')}</Text>
        ) : (
          <Stack component="ul" gap={6} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {work.records.map((team) => {
              const changed = team.record ? recordUpdatedAt(team.record) : undefined;
              return (
                <Group component="li" key={team.id} gap="xs" data-record-id={team.recordId}>
                  <RecordLink record={team.record} />
                  <Text size="sm" component="span">
                    · {team.owner ? t('teamwork.work.ownedBy', { name: team.owner.name }) : t('teamwork.owner.none')}
                  </Text>
                  {changed && (
                    <Text size="sm" component="span">
                      · {t('teamwork.work.changed', { when: dateTime(changed) })}
                    </Text>
                  )}
                  <Badge size="sm" color={levelColor[team.confidentiality]}>
                    {t(`clearance.${team.confidentiality}`)}
                  </Badge>
                </Group>
              );
            })}
          </Stack>
        )}
      </Section>
    </Stack>
  );
}

/** Marks a mention read (markMentionRead): one clientMutationId per mention, a refusal told in a notification. */
function useMarkRead(onChanged: () => void) {
  const [, mark] = useMutation(MarkMentionReadMutation);
  const ids = useRef(new Map<string, string>());
  return async (mentionId: string) => {
    const clientMutationId = ids.current.get(mentionId) ?? newClientMutationId();
    ids.current.set(mentionId, clientMutationId);
    const result = await mark({ input: { clientMutationId, mentionId } });
    if (result.error) {
      notifyRefusal(result.error);
    }
    onChanged();
  };
}

