import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { NoteFieldsFragment } from '../gql/graphql';
import { levelColor } from '../cases/vocabulary';
import { newClientMutationId } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ArticleHtml } from '../news/ArticleHtml';
import { authorName, useColleagueOptions } from './colleagues';
import { TasksQuery, TeamQuery, TeamworkMeQuery, UnwatchRecordMutation, WatchRecordMutation } from './documents';
import { NoteForm, OwnerForm, TaskForm } from './forms';
import './i18n';
import { notifyRefusal } from './notify';
import { TaskTable } from './TaskTable';

type Open = { kind: 'owner' } | { kind: 'task' } | { kind: 'note'; note?: NoteFieldsFragment } | null;

/**
 * The "Team" section of a record's page (a case, a defender, a submission, a call for input): its owner, its watchers
 * (watch / stop watching), its tasks (add, done, reassign, cancel) and its internal notes (write, edit; Markdown shown as
 * the sanitised HTML the API renders). For staff only: the API refuses all of it to anyone else.
 */
export function TeamPanel({ recordId }: { recordId: string }) {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const [{ data: me }] = useQuery({ query: TeamworkMeQuery });
  const [{ data: teamData }, reloadTeam] = useQuery({ query: TeamQuery, variables: { recordId } });
  const taskVariables = useMemo(() => ({ filter: { recordId }, first: 50 }), [recordId]);
  const [{ data: taskData }, reloadTasks] = useQuery({ query: TasksQuery, variables: taskVariables });
  const [open, setOpen] = useState<Open>(null);
  const team = teamData?.teamwork;
  const tasks = taskData?.tasks.nodes ?? [];
  const myAccount = me?.me.account?.id;
  const known = useMemo(
    () => [team?.owner, ...(team?.watchers ?? []), ...tasks.map((task) => task.assignee)],
    [team, tasks],
  );
  const colleagues = useColleagueOptions(known, recordId);
  const refresh = useCallback(() => {
    reloadTeam({ requestPolicy: 'network-only' });
    reloadTasks({ requestPolicy: 'network-only' });
  }, [reloadTeam, reloadTasks]);
  const watching = !!myAccount && !!team?.watchers.some((w) => w.accountId === myAccount);
  const toggleWatch = useWatch(recordId, watching, refresh);
  const close = () => setOpen(null);
  const headingId = `team-${recordId}`;

  if (!team) {
    return null;
  }
  const notes = team.notes.nodes;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid="record-team">
      <Title order={2} size="h3" id={headingId} mb="sm">
        {t('teamwork.panel.title')}
      </Title>
      <Stack gap="md">
        <Group gap="md" align="flex-start" justify="space-between">
          <Stack gap={4}>
            <Text data-testid="team-owner">
              <Text component="span" fw={600}>
                {t('teamwork.owner.label')}:
              </Text>{' '}
              {team.owner?.name ?? t('teamwork.owner.none')}
            </Text>
            <Text data-testid="team-watchers">
              <Text component="span" fw={600}>
                {t('teamwork.watchers.label')}:
              </Text>{' '}
              {team.watchers.length > 0 ? team.watchers.map((w) => w.name).join(', ') : t('teamwork.watchers.none')}
            </Text>
          </Stack>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setOpen({ kind: 'owner' })}>
              {team.owner ? t('teamwork.owner.change') : t('teamwork.owner.assign')}
            </Button>
            {myAccount && (
              <Button size="xs" variant="default" onClick={() => void toggleWatch()}>
                {watching ? t('teamwork.watchers.unwatch') : t('teamwork.watchers.watch')}
              </Button>
            )}
          </Group>
        </Group>

        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('teamwork.task.heading', { count: tasks.length })}
            </Title>
            <Button size="xs" onClick={() => setOpen({ kind: 'task' })}>
              {t('teamwork.task.add')}
            </Button>
          </Group>
          {tasks.length === 0 ? (
            <Text size="sm">{t('teamwork.task.none')}</Text>
          ) : (
            <TaskTable tasks={tasks} label={t('teamwork.task.heading', { count: tasks.length })} colleagues={colleagues} onChanged={refresh} testId="record-tasks" />
          )}
        </Stack>

        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('teamwork.note.heading', { count: team.notes.totalCount })}
            </Title>
            <Button size="xs" onClick={() => setOpen({ kind: 'note' })}>
              {t('teamwork.note.write')}
            </Button>
          </Group>
          {notes.length === 0 ? (
            <Text size="sm">{t('teamwork.note.none')}</Text>
          ) : (
            <Stack component="ul" gap="sm" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="record-notes">
              {notes.map((note) => (
                <Paper component="li" key={note.id} withBorder p="sm" radius="sm" data-note-id={note.id}>
                  <Group gap="xs" justify="space-between" mb={4}>
                    <Group gap="xs">
                      <Text size="sm" fw={600} component="span">
                        {authorName(note.author, colleagues) ?? t('teamwork.note.colleague')}
                      </Text>
                      <Text size="sm" component="span">
                        · {dateTime(note.createdAt)}
                        {note.version > 1 && ` · ${t('teamwork.note.edited', { when: dateTime(note.updatedAt) })}`}
                      </Text>
                      <Badge size="sm" color={levelColor[note.confidentiality]}>
                        {t(`clearance.${note.confidentiality}`)}
                      </Badge>
                    </Group>
                    <Button size="compact-xs" variant="subtle" onClick={() => setOpen({ kind: 'note', note })} aria-label={t('teamwork.note.editLabel', { when: dateTime(note.createdAt) })}>
                      {t('teamwork.note.editShort')}
                    </Button>
                  </Group>
                  <ArticleHtml html={note.bodyHtml} />
                </Paper>
              ))}
            </Stack>
          )}
        </Stack>
      </Stack>

      <OwnerForm
        opened={open?.kind === 'owner'}
        onClose={close}
        onDone={refresh}
        recordId={recordId}
        version={team.version}
        currentOwner={team.owner?.accountId}
        colleagues={colleagues}
      />
      <TaskForm opened={open?.kind === 'task'} onClose={close} onDone={refresh} recordId={recordId} colleagues={colleagues} />
      <NoteForm
        opened={open?.kind === 'note'}
        onClose={close}
        onDone={refresh}
        recordId={recordId}
        recordLevel={team.confidentiality}
        clearance={me?.me.clearance}
        note={open?.kind === 'note' ? open.note : undefined}
      />
    </Paper>
  );
}

/** Watch / stop watching the record (you): one clientMutationId per click, a refusal told in a notification. */
function useWatch(recordId: string, watching: boolean, onChanged: () => void) {
  const [, watch] = useMutation(WatchRecordMutation);
  const [, unwatch] = useMutation(UnwatchRecordMutation);
  const inFlight = useRef(false);
  return async () => {
    if (inFlight.current) {
      return;
    }
    inFlight.current = true;
    try {
      const input = { clientMutationId: newClientMutationId(), recordId };
      const result = watching ? await unwatch({ input }) : await watch({ input });
      if (result.error) {
        notifyRefusal(result.error);
      }
      onChanged();
    } finally {
      inFlight.current = false;
    }
  };
}
