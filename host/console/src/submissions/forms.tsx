import { ActionIcon, Button, Checkbox, Group, MultiSelect, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { countryOptions } from '../cases/countries';
import { levels } from '../cases/vocabulary';
import { useOrganisationOptions } from '../common/organisationOptions';
import type {
  CallDetailsFragment,
  CatStage,
  Confidentiality,
  Mechanism,
  Region,
  SubmissionDetailsFragment,
} from '../gql/graphql';
import {
  AddCoSignatoryMutation,
  CallQuery,
  CaseOptionsQuery,
  ExtendCallDeadlineMutation,
  OpenCallForInputMutation,
  PlanSubmissionMutation,
  ReceiveInputMutation,
  RecordOutcomeMutation,
  RemoveCoSignatoryMutation,
  SubmissionQuery,
} from './documents';
import { catStages, mechanisms, regions } from './vocabulary';

/** The labels of the modal around every form of this area (Save, Cancel, "someone else changed this submission"). */
const labels = 'submissionDesk.form';
const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

interface ModalProps {
  opened: boolean;
  onClose: () => void;
}

function useLevelOptions() {
  const { t } = useTranslation();
  return [{ value: '', label: t('submissionDesk.form.confidentialityDefault') }, ...levels.map((l) => ({ value: l, label: t(`clearance.${l}`) }))];
}

/** Reloads the submission from the API (graphcache then shows it everywhere) and answers its version. */
export function useReloadSubmission(id: string) {
  const client = useClient();
  return async () => {
    const result = await client.query(SubmissionQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
    const node = result.data?.node;
    return node && 'version' in node ? node.version : undefined;
  };
}

function useReloadCall(id: string) {
  const client = useClient();
  return async () => {
    const result = await client.query(CallQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
    const node = result.data?.node;
    return node && 'version' in node ? node.version : undefined;
  };
}

export function PlanSubmissionForm({ opened, onClose }: ModalProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [, plan] = useMutation(PlanSubmissionMutation);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const organisations = useOrganisationOptions();
  const levelOptions = useLevelOptions();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      mechanism: 'UPR' as string,
      title: '',
      countryCode: '',
      dueOn: '' as string | null,
      session: '',
      sessionStartsOn: '' as string | null,
      catStage: '' as string | null,
      leadOrganisationId: '' as string | null,
      coSignatoryIds: [] as string[],
      confidentiality: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('submissionDesk.form.required')),
      countryCode: (v) => (v ? null : t('submissionDesk.form.required')),
      dueOn: (v) => (v ? null : t('submissionDesk.form.required')),
    },
  });
  const values = form.getValues();
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.plan')}
      form={form}
      send={(v, ids) =>
        plan({
          input: {
            clientMutationId: ids.clientMutationId,
            mechanism: v.mechanism as Mechanism,
            title: v.title.trim(),
            countryCode: v.countryCode,
            dueOn: v.dueOn ?? '',
            session: blankToNull(v.session),
            sessionStartsOn: v.sessionStartsOn || null,
            catStage: v.mechanism === 'CAT' ? ((v.catStage || null) as CatStage | null) : null,
            leadOrganisationId: v.leadOrganisationId || null,
            coSignatoryIds: v.coSignatoryIds,
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
          },
        })
      }
      onDone={(data) => {
        const id = (data as { planSubmission?: { submission?: { id: string } } })?.planSubmission?.submission?.id;
        if (id) void navigate(`/submissions/${encodeURIComponent(id)}`);
      }}
    >
      <Select
        label={t('submissionDesk.form.mechanism')}
        withAsterisk
        allowDeselect={false}
        data={mechanisms.map((m) => ({ value: m, label: t(`submissionDesk.mechanism.${m}`) }))}
        {...form.getInputProps('mechanism')}
      />
      <TextInput label={t('submissionDesk.form.title')} withAsterisk data-autofocus {...form.getInputProps('title')} />
      <Select label={t('submissionDesk.form.country')} withAsterisk searchable data={countries} {...form.getInputProps('countryCode')} />
      <DateInput label={t('submissionDesk.form.dueOn')} withAsterisk valueFormat="YYYY-MM-DD" {...form.getInputProps('dueOn')} />
      <TextInput label={t('submissionDesk.form.session')} description={t('submissionDesk.form.sessionHint')} {...form.getInputProps('session')} />
      <DateInput label={t('submissionDesk.form.sessionStartsOn')} valueFormat="YYYY-MM-DD" clearable {...form.getInputProps('sessionStartsOn')} />
      {values.mechanism === 'CAT' && (
        <Select
          label={t('submissionDesk.form.catStage')}
          clearable
          data={catStages.map((s) => ({ value: s, label: t(`submissionDesk.catStage.${s}`) }))}
          {...form.getInputProps('catStage')}
        />
      )}
      <Select
        label={t('submissionDesk.form.leadOrganisation')}
        searchable
        clearable
        data={organisations}
        {...form.getInputProps('leadOrganisationId')}
      />
      <MultiSelect label={t('submissionDesk.form.coSignatories')} searchable data={organisations} {...form.getInputProps('coSignatoryIds')} />
      <Select label={t('submissionDesk.form.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

interface SubmissionFormProps extends ModalProps {
  submission: SubmissionDetailsFragment;
}

export function AddCoSignatoryForm({ opened, onClose, submission }: SubmissionFormProps) {
  const { t } = useTranslation();
  const [, add] = useMutation(AddCoSignatoryMutation);
  const reload = useReloadSubmission(submission.id);
  const signing = new Set([submission.leadOrganisation?.id, ...submission.coSignatories.map((o) => o.id)]);
  const organisations = useOrganisationOptions().filter((o) => !signing.has(o.value));
  const form = useForm({
    mode: 'controlled',
    initialValues: { organisationId: '' as string | null },
    validate: { organisationId: (v) => (v ? null : t('submissionDesk.form.required')) },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.addCoSignatory')}
      form={form}
      expectedVersion={submission.version}
      reload={reload}
      send={(v, ids) => add({ input: { ...ids, submissionId: submission.id, organisationId: v.organisationId ?? '' } })}
    >
      <Select
        label={t('submissionDesk.form.organisation')}
        withAsterisk
        searchable
        data-autofocus
        data={organisations}
        {...form.getInputProps('organisationId')}
      />
    </CaseFormModal>
  );
}

/** Asks before removing a co-signatory (the modal carries the conflict and its reload). */
export function RemoveCoSignatoryForm({
  opened,
  onClose,
  submission,
  organisation,
}: SubmissionFormProps & { organisation: { id: string; name: string } | null }) {
  const { t } = useTranslation();
  const [, remove] = useMutation(RemoveCoSignatoryMutation);
  const reload = useReloadSubmission(submission.id);
  const form = useForm({ mode: 'controlled', initialValues: { organisationId: organisation?.id ?? '' } });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.removeCoSignatory')}
      form={form}
      initialValues={() => ({ organisationId: organisation?.id ?? '' })}
      subject={organisation?.id}
      expectedVersion={submission.version}
      reload={reload}
      send={(v, ids) => remove({ input: { ...ids, submissionId: submission.id, organisationId: v.organisationId } })}
    >
      <Text>{t('submissionDesk.form.removeConfirm', { name: organisation?.name ?? '' })}</Text>
    </CaseFormModal>
  );
}

interface RecommendationValues {
  text: string;
  accepted: boolean;
  caseIds: string[];
}

export function RecordOutcomeForm({ opened, onClose, submission }: SubmissionFormProps) {
  const { t } = useTranslation();
  const [, record] = useMutation(RecordOutcomeMutation);
  const reload = useReloadSubmission(submission.id);
  const [{ data: caseData }] = useQuery({ query: CaseOptionsQuery, variables: { filter: { countries: [submission.country.code] } }, pause: !opened });
  const caseOptions = (caseData?.cases.nodes ?? []).map((c) => ({ value: c.id, label: `${c.reference} — ${c.title}` }));
  const initial = () => ({
    recommendations: (submission.recommendations.length
      ? submission.recommendations.map((r) => ({ text: r.text, accepted: r.accepted, caseIds: r.cases.map((c) => c.id) }))
      : [{ text: '', accepted: false, caseIds: [] }]) as RecommendationValues[],
  });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: { recommendations: { text: (v) => (v.trim() ? null : t('submissionDesk.form.required')) } },
  });
  const recommendations = form.getValues().recommendations;
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.recordOutcome')}
      form={form}
      initialValues={initial}
      expectedVersion={submission.version}
      reload={reload}
      send={(v, ids) =>
        record({
          input: {
            ...ids,
            submissionId: submission.id,
            recommendations: v.recommendations.map((r) => ({ text: r.text.trim(), accepted: r.accepted, caseIds: r.caseIds })),
          },
        })
      }
    >
      {recommendations.map((_, index) => (
        <Paper withBorder p="sm" key={index}>
          <Stack gap="xs">
            <Textarea
              label={t('submissionDesk.form.recommendation', { number: index + 1 })}
              withAsterisk
              autosize
              minRows={2}
              {...form.getInputProps(`recommendations.${index}.text`)}
            />
            <Checkbox
              label={t('submissionDesk.form.accepted')}
              {...form.getInputProps(`recommendations.${index}.accepted`, { type: 'checkbox' })}
            />
            <MultiSelect
              label={t('submissionDesk.form.linkedCases')}
              searchable
              data={caseOptions}
              {...form.getInputProps(`recommendations.${index}.caseIds`)}
            />
            {recommendations.length > 1 && (
              <Group justify="flex-end">
                <ActionIcon
                  variant="default"
                  onClick={() => form.removeListItem('recommendations', index)}
                  aria-label={t('submissionDesk.form.removeRecommendation', { number: index + 1 })}
                >
                  ×
                </ActionIcon>
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button variant="default" size="xs" onClick={() => form.insertListItem('recommendations', { text: '', accepted: false, caseIds: [] })}>
          {t('submissionDesk.form.addRecommendation')}
        </Button>
      </Group>
    </CaseFormModal>
  );
}

export function OpenCallForm({ opened, onClose }: ModalProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [, openCall] = useMutation(OpenCallForInputMutation);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const levelOptions = useLevelOptions();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      title: '',
      question: '',
      deadline: '' as string | null,
      audienceCountryCodes: [] as string[],
      audienceRegions: [] as string[],
      confidentiality: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('submissionDesk.form.required')),
      question: (v) => (v.trim() ? null : t('submissionDesk.form.required')),
      deadline: (v) => (v ? null : t('submissionDesk.form.required')),
    },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.openCall')}
      form={form}
      send={(v, ids) =>
        openCall({
          input: {
            clientMutationId: ids.clientMutationId,
            title: v.title.trim(),
            question: v.question.trim(),
            deadline: v.deadline ?? '',
            audienceCountryCodes: v.audienceCountryCodes,
            audienceRegions: v.audienceRegions as Region[],
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
          },
        })
      }
      onDone={(data) => {
        const id = (data as { openCallForInput?: { callForInput?: { id: string } } })?.openCallForInput?.callForInput?.id;
        if (id) void navigate(`/submissions/calls/${encodeURIComponent(id)}`);
      }}
    >
      <TextInput label={t('submissionDesk.form.title')} withAsterisk data-autofocus {...form.getInputProps('title')} />
      <Textarea label={t('submissionDesk.form.question')} withAsterisk autosize minRows={3} {...form.getInputProps('question')} />
      <DateInput label={t('submissionDesk.form.deadline')} withAsterisk valueFormat="YYYY-MM-DD" {...form.getInputProps('deadline')} />
      <MultiSelect
        label={t('submissionDesk.form.audienceCountries')}
        description={t('submissionDesk.form.audienceHint')}
        searchable
        data={countries}
        {...form.getInputProps('audienceCountryCodes')}
      />
      <MultiSelect
        label={t('submissionDesk.form.audienceRegions')}
        data={regions.map((r) => ({ value: r, label: t(`submissionDesk.region.${r}`) }))}
        {...form.getInputProps('audienceRegions')}
      />
      <Select label={t('submissionDesk.form.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
    </CaseFormModal>
  );
}

interface CallFormProps extends ModalProps {
  call: CallDetailsFragment;
}

export function ExtendDeadlineForm({ opened, onClose, call }: CallFormProps) {
  const { t } = useTranslation();
  const [, extend] = useMutation(ExtendCallDeadlineMutation);
  const reload = useReloadCall(call.id);
  const form = useForm({
    mode: 'controlled',
    initialValues: { deadline: call.deadline as string | null },
    validate: { deadline: (v) => (v ? null : t('submissionDesk.form.required')) },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t('submissionDesk.form.extend')}
      form={form}
      initialValues={() => ({ deadline: call.deadline as string | null })}
      expectedVersion={call.version}
      reload={reload}
      send={(v, ids) => extend({ input: { ...ids, callId: call.id, deadline: v.deadline ?? '' } })}
    >
      <DateInput label={t('submissionDesk.form.newDeadline')} withAsterisk valueFormat="YYYY-MM-DD" data-autofocus {...form.getInputProps('deadline')} />
    </CaseFormModal>
  );
}

/**
 * An input to a call: staff record one for any member organisation they may see; a member organisation's person
 * answers for their own organisation (the API refuses any other).
 */
export function ReceiveInputForm({ opened, onClose, call, ownOrganisationId }: CallFormProps & { ownOrganisationId: string | null }) {
  const { t } = useTranslation();
  const [, receive] = useMutation(ReceiveInputMutation);
  const reload = useReloadCall(call.id);
  const members = useOrganisationOptions({ networkMember: true });
  const initial = () => ({ organisationId: ownOrganisationId ?? ('' as string | null), text: '', shareWithNetwork: false });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: {
      organisationId: (v) => (v ? null : t('submissionDesk.form.required')),
      text: (v) => (v.trim() ? null : t('submissionDesk.form.required')),
    },
  });
  return (
    <CaseFormModal
      labelPrefix={labels}
      opened={opened}
      onClose={onClose}
      title={t(ownOrganisationId ? 'submissionDesk.form.answer' : 'submissionDesk.form.receive')}
      form={form}
      initialValues={initial}
      expectedVersion={call.version}
      reload={reload}
      send={(v, ids) =>
        receive({
          input: {
            ...ids,
            callId: call.id,
            organisationId: v.organisationId ?? '',
            text: v.text.trim(),
            shareWithNetwork: v.shareWithNetwork,
          },
        })
      }
    >
      {!ownOrganisationId && (
        <Select
          label={t('submissionDesk.form.organisation')}
          withAsterisk
          searchable
          data={members}
          data-autofocus
          {...form.getInputProps('organisationId')}
        />
      )}
      <Textarea label={t('submissionDesk.form.input')} withAsterisk autosize minRows={4} {...form.getInputProps('text')} />
      <Checkbox label={t('submissionDesk.form.share')} {...form.getInputProps('shareWithNetwork', { type: 'checkbox' })} />
    </CaseFormModal>
  );
}
