import { Select, Text, TextInput, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import type { Confidentiality, NoteFieldsFragment, TaskFieldsFragment } from '../gql/graphql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { levels } from '../cases/vocabulary';
import type { ColleagueOption } from './colleagues';
import { reaches } from './colleagues';
import {
  AssignOwnerMutation,
  CancelTaskMutation,
  CreateTaskMutation,
  EditNoteMutation,
  ReassignTaskMutation,
  TeamQuery,
  WriteNoteMutation,
} from './documents';

/** The modal's own labels (saved, conflict, save, cancel…) are teamwork's: "Someone else changed this record". */
const labels = 'teamwork.form';

interface ModalProps {
  opened: boolean;
  onClose: () => void;
  onDone?: () => void;
}

/** Reloads a record's team from the API and answers its version (for "reload and re-apply"). */
function useReloadTeam(recordId: string) {
  const client = useClient();
  return async () => (await client.query(TeamQuery, { recordId }, { requestPolicy: 'network-only' }).toPromise()).data?.teamwork?.version;
}

export function OwnerForm({
  opened,
  onClose,
  onDone,
  recordId,
  version,
  currentOwner,
  colleagues,
}: ModalProps & { recordId: string; version: number; currentOwner?: string; colleagues: ColleagueOption[] }) {
  const { t } = useTranslation();
  const [, assign] = useMutation(AssignOwnerMutation);
  const reload = useReloadTeam(recordId);
  const form = useForm({
    mode: 'controlled',
    initialValues: { accountId: (currentOwner ?? null) as string | null },
    validate: { accountId: (v) => (v ? null : t('teamwork.form.required')) },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('teamwork.owner.assign')}
      form={form}
      initialValues={() => ({ accountId: currentOwner ?? null })}
      expectedVersion={version}
      reload={reload}
      send={(v, ids) => assign({ input: { ...ids, recordId, accountId: v.accountId ?? '' } })}
      onDone={onDone}
    >
      <Select
        label={t('teamwork.owner.field')}
        description={t('teamwork.colleagueHint')}
        withAsterisk
        searchable
        data={colleagues}
        data-autofocus
        {...form.getInputProps('accountId')}
      />
    </CaseFormModal>
  );
}

export function TaskForm({ opened, onClose, onDone, recordId, colleagues }: ModalProps & { recordId: string; colleagues: ColleagueOption[] }) {
  const { t } = useTranslation();
  const [, create] = useMutation(CreateTaskMutation);
  const form = useForm({
    mode: 'controlled',
    initialValues: { title: '', dueOn: null as string | null, assigneeId: null as string | null },
    validate: {
      title: (v) => (v.trim() ? null : t('teamwork.form.required')),
      dueOn: (v) => (v ? null : t('teamwork.form.required')),
    },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('teamwork.task.add')}
      form={form}
      send={(v, ids) =>
        create({
          input: { clientMutationId: ids.clientMutationId, recordId, title: v.title.trim(), dueOn: v.dueOn ?? '', assigneeId: v.assigneeId || null },
        })
      }
      onDone={onDone}
    >
      <TextInput label={t('teamwork.task.title')} withAsterisk maxLength={300} data-autofocus {...form.getInputProps('title')} />
      <DateInput label={t('teamwork.task.dueOn')} withAsterisk valueFormat="YYYY-MM-DD" {...form.getInputProps('dueOn')} />
      <Select
        label={t('teamwork.task.assignee')}
        description={t('teamwork.task.assigneeHint')}
        searchable
        clearable
        data={colleagues}
        {...form.getInputProps('assigneeId')}
      />
    </CaseFormModal>
  );
}

export function ReassignForm({ opened, onClose, onDone, task, colleagues }: ModalProps & { task: TaskFieldsFragment | null; colleagues: ColleagueOption[] }) {
  const { t } = useTranslation();
  const [, reassign] = useMutation(ReassignTaskMutation);
  const form = useForm({
    mode: 'controlled',
    initialValues: { assigneeId: null as string | null },
    validate: { assigneeId: (v) => (v ? null : t('teamwork.form.required')) },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened && !!task}
      onClose={onClose}
      subject={task?.id}
      title={t('teamwork.task.reassignTitle', { title: task?.title ?? '' })}
      form={form}
      expectedVersion={task?.version}
      send={(v, ids) => reassign({ input: { ...ids, taskId: task?.id ?? '', assigneeId: v.assigneeId ?? '' } })}
      onDone={onDone}
    >
      <Select
        label={t('teamwork.task.newAssignee')}
        description={t('teamwork.colleagueHint')}
        withAsterisk
        searchable
        data={colleagues.filter((c) => c.value !== task?.assigneeId)}
        data-autofocus
        {...form.getInputProps('assigneeId')}
      />
    </CaseFormModal>
  );
}

export function CancelTaskForm({ opened, onClose, onDone, task }: ModalProps & { task: TaskFieldsFragment | null }) {
  const { t } = useTranslation();
  const [, cancel] = useMutation(CancelTaskMutation);
  const form = useForm({ mode: 'controlled', initialValues: { reason: '' } });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened && !!task}
      onClose={onClose}
      subject={task?.id}
      title={t('teamwork.task.cancelTitle', { title: task?.title ?? '' })}
      form={form}
      expectedVersion={task?.version}
      send={(v, ids) => cancel({ input: { ...ids, taskId: task?.id ?? '', reason: v.reason.trim() || null } })}
      onDone={onDone}
    >
      <Textarea label={t('teamwork.task.reason')} maxLength={2000} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
    </CaseFormModal>
  );
}

/**
 * Writes a note on a record, or — given `note` — edits it. The level is one of those from the record's own up to the
 * person's clearance, Staff by default (or the record's level when higher).
 */
export function NoteForm({
  opened,
  onClose,
  onDone,
  recordId,
  recordLevel,
  clearance,
  note,
}: ModalProps & { recordId: string; recordLevel: Confidentiality; clearance: Confidentiality | undefined; note?: NoteFieldsFragment }) {
  const { t } = useTranslation();
  const [, write] = useMutation(WriteNoteMutation);
  const [, edit] = useMutation(EditNoteMutation);
  const choices = levels.filter((l) => reaches(l, recordLevel) && reaches(clearance, l));
  const fallback: Confidentiality = reaches(recordLevel, 'STAFF') ? recordLevel : 'STAFF';
  const initial = () => ({ markdown: note?.markdown ?? '', confidentiality: note?.confidentiality ?? (choices.includes(fallback) ? fallback : (choices[choices.length - 1] ?? 'STAFF')) });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: { markdown: (v) => (v.trim() ? null : t('teamwork.form.required')) },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      subject={note?.id ?? 'new'}
      title={note ? t('teamwork.note.edit') : t('teamwork.note.write')}
      form={form}
      initialValues={initial}
      expectedVersion={note?.version}
      send={(v, ids) =>
        note
          ? edit({ input: { ...ids, noteId: note.id, markdown: v.markdown, confidentiality: v.confidentiality as Confidentiality } })
          : write({ input: { clientMutationId: ids.clientMutationId, recordId, markdown: v.markdown, confidentiality: v.confidentiality as Confidentiality } })
      }
      onDone={onDone}
    >
      <Textarea
        label={t('teamwork.note.markdown')}
        description={t('teamwork.note.markdownHint')}
        withAsterisk
        autosize
        minRows={5}
        maxLength={20000}
        data-autofocus
        {...form.getInputProps('markdown')}
      />
      <Select
        label={t('teamwork.note.confidentiality')}
        allowDeselect={false}
        data={choices.map((l) => ({ value: l, label: t(`clearance.${l}`) }))}
        {...form.getInputProps('confidentiality')}
      />
      <Text size="xs" c="dimmed">
        {t('teamwork.note.levelHint')}
      </Text>
    </CaseFormModal>
  );
}
