import { MultiSelect, Select, TextInput, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient, useMutation, type OperationResult } from 'urql';
import type {
  CaseDetailsFragment,
  CaseEventType,
  CaseStatus,
  Confidentiality,
  InterventionType,
  PerpetratorType,
} from '../gql/graphql';
import { CaseFormModal, type SubmissionIds } from './CaseFormModal';
import { countryOptions } from './countries';
import { DefenderPicker } from './DefenderPicker';
import {
  AddVictimMutation,
  CaseQuery,
  ChangeCaseConfidentialityMutation,
  ChangeCaseStatusMutation,
  CorrectCaseEventMutation,
  IssueInterventionMutation,
  OpenCaseMutation,
  RecordCaseEventMutation,
} from './documents';
import { isPartialDate } from './partialDate';
import { eventTypes, interventionTypes, levels, perpetratorTypes, statuses } from './vocabulary';

type CaseData = CaseDetailsFragment;

interface CaseFormProps {
  opened: boolean;
  onClose: () => void;
  caseData: CaseData;
}

const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** Reloads the case from the API (graphcache then shows it everywhere) and answers its version. */
function useReload(caseId: string) {
  const client = useClient();
  return async () => {
    const result = await client.query(CaseQuery, { id: caseId }, { requestPolicy: 'network-only' }).toPromise();
    return result.data?.case?.version;
  };
}

function useLevelOptions(withDefault: boolean) {
  const { t } = useTranslation();
  return [
    ...(withDefault ? [{ value: '', label: t('caseDesk.form.confidentialityDefault') }] : []),
    ...levels.map((l) => ({ value: l, label: t(`clearance.${l}`) })),
  ];
}

export function OpenCaseForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [, openCase] = useMutation(OpenCaseMutation);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const levelOptions = useLevelOptions(true);
  const form = useForm({
    mode: 'controlled',
    initialValues: { title: '', countryCode: '', summary: '', confidentiality: '', openedOn: '' as string | null },
    validate: {
      title: (v) => (v.trim() ? null : t('caseDesk.form.required')),
      countryCode: (v) => (v ? null : t('caseDesk.form.required')),
    },
  });

  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('caseDesk.form.open')}
      form={form}
      send={(v, ids) =>
        openCase({
          input: {
            clientMutationId: ids.clientMutationId,
            title: v.title,
            countryCode: v.countryCode,
            summary: blankToNull(v.summary),
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
            openedOn: v.openedOn || null,
          },
        })
      }
      onDone={(data) => {
        const id = (data as { openCase?: { case?: { id: string } } })?.openCase?.case?.id;
        if (id) void navigate(`/cases/${encodeURIComponent(id)}`);
      }}
    >
      <TextInput label={t('caseDesk.form.title')} withAsterisk data-autofocus {...form.getInputProps('title')} />
      <Select
        label={t('caseDesk.form.country')}
        withAsterisk
        data={countries}
        searchable
        {...form.getInputProps('countryCode')}
      />
      <Textarea label={t('caseDesk.form.summary')} autosize minRows={3} {...form.getInputProps('summary')} />
      <Select label={t('caseDesk.form.confidentialityField')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
      <DateInput
        label={t('caseDesk.form.openedOn')}
        description={t('caseDesk.form.openedOnHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        {...form.getInputProps('openedOn')}
      />
    </CaseFormModal>
  );
}

/** Records a new event, or — given `event` — corrects it (correctCaseEvent replaces its fields). */
export function CaseEventForm({ opened, onClose, caseData, event }: CaseFormProps & { event?: CaseData['events'][number] }) {
  const { t } = useTranslation();
  const [, record] = useMutation(RecordCaseEventMutation);
  const [, correct] = useMutation(CorrectCaseEventMutation);
  const reload = useReload(caseData.id);
  const levelOptions = useLevelOptions(true);
  const initial = () => ({
    type: (event?.type ?? '') as string,
    date: event?.date ?? '',
    victimIds: event?.victims.map((v) => v.id) ?? ([] as string[]),
    description: event?.description ?? '',
    perpetratorType: (event?.perpetratorType ?? '') as string,
    source: event?.source ?? '',
    confidentiality: (event?.confidentiality ?? '') as string,
  });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: {
      type: (v) => (v ? null : t('caseDesk.form.required')),
      date: (v) => (!v.trim() ? t('caseDesk.form.required') : isPartialDate(v) ? null : t('caseDesk.form.dateInvalid')),
    },
  });

  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t(event ? 'caseDesk.form.correct' : 'caseDesk.form.record')}
      form={form}
      initialValues={initial}
      subject={event?.id}
      expectedVersion={caseData.version}
      reload={reload}
      send={(v, ids) => {
        const input = {
          clientMutationId: ids.clientMutationId,
          expectedVersion: ids.expectedVersion,
          caseId: caseData.id,
          type: v.type as CaseEventType,
          date: v.date.trim(),
          victimIds: v.victimIds,
          description: blankToNull(v.description),
          perpetratorType: (v.perpetratorType || null) as PerpetratorType | null,
          source: blankToNull(v.source),
          confidentiality: (v.confidentiality || null) as Confidentiality | null,
        };
        return event ? correct({ input: { ...input, eventId: event.id } }) : record({ input });
      }}
    >
      <Select
        label={t('caseDesk.form.type')}
        withAsterisk
        searchable
        data={eventTypes.map((e) => ({ value: e, label: t(`caseDesk.eventType.${e}`) }))}
        {...form.getInputProps('type')}
      />
      <TextInput
        label={t('caseDesk.form.date')}
        description={t('caseDesk.form.dateHint')}
        withAsterisk
        placeholder="2024-03"
        {...form.getInputProps('date')}
      />
      <MultiSelect
        label={t('caseDesk.form.victims')}
        data={caseData.victims.map((v) => ({ value: v.id, label: v.name ?? v.defenderId ?? v.id }))}
        {...form.getInputProps('victimIds')}
      />
      <Textarea label={t('caseDesk.form.description')} autosize minRows={2} {...form.getInputProps('description')} />
      <Select
        label={t('caseDesk.form.perpetratorType')}
        clearable
        data={perpetratorTypes.map((p) => ({ value: p, label: t(`caseDesk.perpetrator.${p}`) }))}
        {...form.getInputProps('perpetratorType')}
      />
      <TextInput label={t('caseDesk.form.source')} {...form.getInputProps('source')} />
      <Select label={t('caseDesk.form.confidentialityField')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

export function AddVictimForm({ opened, onClose, caseData }: CaseFormProps) {
  const { t } = useTranslation();
  const [, addVictim] = useMutation(AddVictimMutation);
  const reload = useReload(caseData.id);
  const levelOptions = useLevelOptions(true);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', defenderId: '', confidentiality: '' },
    validate: {
      name: (v, values) => (v.trim() || values.defenderId.trim() ? null : t('caseDesk.form.nameOrDefender')),
    },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('caseDesk.form.addVictim')}
      form={form}
      expectedVersion={caseData.version}
      reload={reload}
      send={(v, ids) =>
        addVictim({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion,
            caseId: caseData.id,
            name: blankToNull(v.name),
            defenderId: blankToNull(v.defenderId),
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
          },
        })
      }
    >
      <TextInput label={t('caseDesk.form.name')} data-autofocus {...form.getInputProps('name')} />
      <DefenderPicker
        label={t('caseDesk.form.defenderId')}
        description={t('caseDesk.form.defenderIdHint')}
        value={form.getValues().defenderId}
        onChange={(id) => form.setFieldValue('defenderId', id)}
        error={form.errors['defenderId']}
      />
      <Select label={t('caseDesk.form.confidentialityField')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

/** An urgent appeal, a follow-up (numbered by the API: ….1, ….2) or the closing. */
export function InterventionForm({ opened, onClose, caseData, type }: CaseFormProps & { type: InterventionType }) {
  const { t } = useTranslation();
  const [, issue] = useMutation(IssueInterventionMutation);
  const reload = useReload(caseData.id);
  const form = useForm({
    mode: 'controlled',
    initialValues: { type: type as string, issuedOn: '' as string | null, addressees: '' },
    validate: { type: (v) => (v ? null : t('caseDesk.form.required')) },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t(type === 'FOLLOW_UP' ? 'caseDesk.form.followUp' : 'caseDesk.form.intervention')}
      form={form}
      initialValues={() => ({ type: type as string, issuedOn: '' as string | null, addressees: '' })}
      subject={type}
      expectedVersion={caseData.version}
      reload={reload}
      send={(v, ids) =>
        issue({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion,
            caseId: caseData.id,
            type: v.type as InterventionType,
            issuedOn: v.issuedOn || null,
            addressees: v.addressees
              .split('\n')
              .map((a) => a.trim())
              .filter(Boolean),
          },
        })
      }
    >
      <Select
        label={t('caseDesk.form.interventionType')}
        withAsterisk
        allowDeselect={false}
        data={interventionTypes.map((i) => ({ value: i, label: t(`caseDesk.intervention.${i}`) }))}
        {...form.getInputProps('type')}
      />
      <DateInput
        label={t('caseDesk.form.issuedOn')}
        description={t('caseDesk.form.issuedOnHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        {...form.getInputProps('issuedOn')}
      />
      <Textarea
        label={t('caseDesk.form.addresseesField')}
        description={t('caseDesk.form.addresseesHint')}
        autosize
        minRows={3}
        {...form.getInputProps('addressees')}
      />
    </CaseFormModal>
  );
}

/** A form that changes one value of the case by choosing it (its status, its confidentiality). */
function ChoiceForm({
  opened,
  onClose,
  caseData,
  title,
  label,
  current,
  data,
  send,
}: CaseFormProps & {
  title: string;
  label: string;
  current: string;
  data: { value: string; label: string }[];
  send: (value: string, ids: SubmissionIds) => Promise<OperationResult<unknown>>;
}) {
  const reload = useReload(caseData.id);
  const form = useForm({ mode: 'controlled', initialValues: { choice: current } });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={title}
      form={form}
      initialValues={() => ({ choice: current })}
      expectedVersion={caseData.version}
      reload={reload}
      send={(v, ids) => send(v.choice, ids)}
    >
      <Select label={label} allowDeselect={false} data={data} {...form.getInputProps('choice')} />
    </CaseFormModal>
  );
}

export function StatusForm(props: CaseFormProps) {
  const { t } = useTranslation();
  const [, change] = useMutation(ChangeCaseStatusMutation);
  const { caseData } = props;
  return (
    <ChoiceForm
      {...props}
      title={t('caseDesk.form.status')}
      label={t('caseDesk.form.newStatus')}
      current={caseData.status}
      data={statuses.map((s) => ({ value: s, label: t(`caseDesk.status.${s}`) }))}
      send={(status, ids) => change({ input: { ...ids, caseId: caseData.id, status: status as CaseStatus } })}
    />
  );
}

export function ConfidentialityForm(props: CaseFormProps) {
  const { t } = useTranslation();
  const [, change] = useMutation(ChangeCaseConfidentialityMutation);
  const levelOptions = useLevelOptions(false);
  const { caseData } = props;
  return (
    <ChoiceForm
      {...props}
      title={t('caseDesk.form.confidentiality')}
      label={t('caseDesk.form.newConfidentiality')}
      current={caseData.confidentiality}
      data={levelOptions}
      send={(confidentiality, ids) =>
        change({ input: { ...ids, caseId: caseData.id, confidentiality: confidentiality as Confidentiality } })
      }
    />
  );
}
