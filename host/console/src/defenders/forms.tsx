import { Alert, Badge, Checkbox, Group, MultiSelect, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../cases/CaseFormModal';
import { countryName, countryOptions } from '../cases/countries';
import { isPartialDate } from '../cases/partialDate';
import { useOrganisationOptions } from '../common/organisationOptions';
import { levels } from '../cases/vocabulary';
import type { Confidentiality, DefenderProfileFragment, Gender, RiskLevel, Situation } from '../gql/graphql';
import {
  AffiliateDefenderMutation,
  DefenderDeskMeQuery,
  DefenderListQuery,
  DefenderProfileQuery,
  EndAffiliationMutation,
  EraseDefenderMutation,
  MergeDefendersMutation,
  RecordConsentMutation,
  RecordDefenderSituationMutation,
  RegisterDefenderMutation,
  SetConfidentialDetailsMutation,
  SetRiskLevelMutation,
  UpdateDefenderMutation,
} from './documents';
import { atLeast, displayName, genders, recordableSituations, riskLevels } from './vocabulary';

type Profile = DefenderProfileFragment;
const labelPrefix = 'defenderDesk.form';

interface ProfileFormProps {
  opened: boolean;
  onClose: () => void;
  defender: Profile;
}

const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());
const lines = (value: string) =>
  value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Reloads a profile from the API (graphcache then shows it everywhere) and answers its version. */
function useReload(defenderId: string) {
  const client = useClient();
  return async () => {
    const result = await client.query(DefenderProfileQuery, { id: defenderId }, { requestPolicy: 'network-only' }).toPromise();
    return result.data?.defender?.version;
  };
}

/** The levels the person may give (the API refuses one above the person's clearance, on its field). */
function useLevelOptions(withDefault: boolean) {
  const { t } = useTranslation();
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const clearance = me?.me.clearance ?? 'STAFF';
  return [
    ...(withDefault ? [{ value: '', label: t('defenderDesk.form.confidentialityDefault') }] : []),
    ...levels.filter((l) => levels.indexOf(l) <= levels.indexOf(clearance)).map((l) => ({ value: l, label: t(`clearance.${l}`) })),
  ];
}

export function RegisterDefenderForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [, register] = useMutation(RegisterDefenderMutation);
  const [{ data: me }] = useQuery({ query: DefenderDeskMeQuery });
  const restricted = atLeast(me?.me.clearance, 'RESTRICTED');
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const organisations = useOrganisationOptions();
  const levelOptions = useLevelOptions(true);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: '',
      pseudonym: '',
      countryCode: '',
      gender: '',
      organisationIds: [] as string[],
      consentToPublishName: false,
      confidentiality: '',
      thematicAreas: '',
      contact: '',
      location: '',
    },
    validate: {
      name: (v) => (v.trim() ? null : t('defenderDesk.form.required')),
      countryCode: (v) => (v ? null : t('defenderDesk.form.required')),
    },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.register')}
      form={form}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        register({
          input: {
            clientMutationId: ids.clientMutationId,
            name: v.name.trim(),
            pseudonym: blankToNull(v.pseudonym),
            countryCode: v.countryCode,
            gender: (v.gender || null) as Gender | null,
            organisationIds: v.organisationIds,
            consentToPublishName: v.consentToPublishName,
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
            thematicAreas: lines(v.thematicAreas),
            contact: restricted ? blankToNull(v.contact) : null,
            location: restricted ? blankToNull(v.location) : null,
          },
        })
      }
      onDone={(data) => {
        const id = (data as { registerDefender?: { defender?: { id: string } } })?.registerDefender?.defender?.id;
        if (id) void navigate(`/defenders/${encodeURIComponent(id)}`);
      }}
    >
      <TextInput label={t('defenderDesk.form.name')} withAsterisk data-autofocus {...form.getInputProps('name')} />
      <TextInput label={t('defenderDesk.form.pseudonym')} description={t('defenderDesk.form.pseudonymHint')} {...form.getInputProps('pseudonym')} />
      <Select label={t('defenderDesk.form.country')} withAsterisk data={countries} searchable {...form.getInputProps('countryCode')} />
      <Select
        label={t('defenderDesk.form.gender')}
        clearable
        data={genders.map((g) => ({ value: g, label: t(`defenderDesk.gender.${g}`) }))}
        {...form.getInputProps('gender')}
      />
      <MultiSelect label={t('defenderDesk.form.organisations')} data={organisations} searchable {...form.getInputProps('organisationIds')} />
      <Checkbox label={t('defenderDesk.form.consentToPublishName')} {...form.getInputProps('consentToPublishName', { type: 'checkbox' })} />
      <Select label={t('defenderDesk.form.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
      <Textarea label={t('defenderDesk.form.themes')} description={t('defenderDesk.form.themesHint')} autosize minRows={2} {...form.getInputProps('thematicAreas')} />
      {restricted && (
        <>
          <TextInput label={t('defenderDesk.form.contact')} {...form.getInputProps('contact')} />
          <TextInput label={t('defenderDesk.form.location')} {...form.getInputProps('location')} />
        </>
      )}
    </CaseFormModal>
  );
}

/** Changes the given fields of the profile (only those that differ from what the page shows are sent). */
export function UpdateDefenderForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t, i18n } = useTranslation();
  const [, update] = useMutation(UpdateDefenderMutation);
  const reload = useReload(defender.id);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const levelOptions = useLevelOptions(false);
  const initial = () => ({
    name: defender.name ?? '',
    pseudonym: defender.pseudonym ?? '',
    countryCode: defender.country.code,
    gender: (defender.gender ?? '') as string,
    confidentiality: defender.confidentiality as string,
    thematicAreas: defender.thematicAreas.join('\n'),
  });
  const form = useForm({ mode: 'controlled', initialValues: initial() });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.update')}
      form={form}
      initialValues={initial}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) => {
        const was = initial();
        const themes = lines(v.thematicAreas);
        return update({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion,
            defenderId: defender.id,
            name: defender.name != null && v.name.trim() !== was.name ? v.name.trim() : null,
            pseudonym: v.pseudonym.trim() !== was.pseudonym ? v.pseudonym.trim() : null,
            countryCode: v.countryCode !== was.countryCode ? v.countryCode : null,
            gender: v.gender && v.gender !== was.gender ? (v.gender as Gender) : null,
            confidentiality: v.confidentiality !== was.confidentiality ? (v.confidentiality as Confidentiality) : null,
            thematicAreas: themes.join('\n') !== was.thematicAreas ? themes : null,
          },
        });
      }}
    >
      {defender.name != null && <TextInput label={t('defenderDesk.form.name')} data-autofocus {...form.getInputProps('name')} />}
      <TextInput label={t('defenderDesk.form.pseudonym')} description={t('defenderDesk.form.pseudonymHint')} {...form.getInputProps('pseudonym')} />
      <Select label={t('defenderDesk.form.country')} data={countries} searchable allowDeselect={false} {...form.getInputProps('countryCode')} />
      <Select
        label={t('defenderDesk.form.gender')}
        data={genders.map((g) => ({ value: g, label: t(`defenderDesk.gender.${g}`) }))}
        {...form.getInputProps('gender')}
      />
      <Select label={t('defenderDesk.form.confidentiality')} data={levelOptions} allowDeselect={false} {...form.getInputProps('confidentiality')} />
      <Textarea label={t('defenderDesk.form.themes')} description={t('defenderDesk.form.themesHint')} autosize minRows={2} {...form.getInputProps('thematicAreas')} />
    </CaseFormModal>
  );
}

export function ConsentForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const [, record] = useMutation(RecordConsentMutation);
  const reload = useReload(defender.id);
  const initial = () => ({
    toPublishName: defender.consentToPublishName,
    toPublishPortrait: defender.consentToPublishPortrait,
    givenOn: '' as string | null,
  });
  const form = useForm({ mode: 'controlled', initialValues: initial() });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.consent')}
      form={form}
      initialValues={initial}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        record({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion,
            defenderId: defender.id,
            toPublishName: v.toPublishName,
            toPublishPortrait: v.toPublishPortrait,
            givenOn: v.givenOn || null,
          },
        })
      }
    >
      <Checkbox label={t('defenderDesk.form.toPublishName')} data-autofocus {...form.getInputProps('toPublishName', { type: 'checkbox' })} />
      <Checkbox label={t('defenderDesk.form.toPublishPortrait')} {...form.getInputProps('toPublishPortrait', { type: 'checkbox' })} />
      <DateInput
        label={t('defenderDesk.form.givenOn')}
        description={t('defenderDesk.form.givenOnHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        {...form.getInputProps('givenOn')}
      />
    </CaseFormModal>
  );
}

export function SituationForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const [, record] = useMutation(RecordDefenderSituationMutation);
  const reload = useReload(defender.id);
  const levelOptions = useLevelOptions(true);
  const form = useForm({
    mode: 'controlled',
    initialValues: { situation: '', date: '', confidentiality: '' },
    validate: {
      situation: (v) => (v ? null : t('defenderDesk.form.required')),
      date: (v) => (!v.trim() ? t('defenderDesk.form.required') : isPartialDate(v) ? null : t('defenderDesk.form.dateInvalid')),
    },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.situation')}
      form={form}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        record({
          input: {
            clientMutationId: ids.clientMutationId,
            expectedVersion: ids.expectedVersion,
            defenderId: defender.id,
            situation: v.situation as Situation,
            date: v.date.trim(),
            confidentiality: (v.confidentiality || null) as Confidentiality | null,
          },
        })
      }
    >
      <Select
        label={t('defenderDesk.form.situationField')}
        withAsterisk
        data={recordableSituations.map((s) => ({ value: s, label: t(`defenderDesk.situation.${s}`) }))}
        {...form.getInputProps('situation')}
      />
      <TextInput
        label={t('defenderDesk.form.date')}
        description={t('defenderDesk.form.dateHint')}
        withAsterisk
        placeholder="2024-03"
        {...form.getInputProps('date')}
      />
      <Select
        label={t('defenderDesk.form.confidentiality')}
        description={t('defenderDesk.form.situationLevelHint')}
        data={levelOptions}
        allowDeselect={false}
        {...form.getInputProps('confidentiality')}
      />
    </CaseFormModal>
  );
}

export function AffiliateForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const [, affiliate] = useMutation(AffiliateDefenderMutation);
  const reload = useReload(defender.id);
  const current = defender.affiliations.filter((a) => !a.endedOn).map((a) => a.organisation.id);
  const organisations = useOrganisationOptions({ exclude: current });
  const form = useForm({
    mode: 'controlled',
    initialValues: { organisationId: '' },
    validate: { organisationId: (v) => (v ? null : t('defenderDesk.form.required')) },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.affiliate')}
      form={form}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        affiliate({ input: { ...ids, defenderId: defender.id, organisationId: v.organisationId } })
      }
    >
      <Select label={t('defenderDesk.form.organisation')} withAsterisk searchable data={organisations} {...form.getInputProps('organisationId')} />
    </CaseFormModal>
  );
}

export function EndAffiliationForm({ opened, onClose, defender, organisationId }: ProfileFormProps & { organisationId: string }) {
  const { t } = useTranslation();
  const [, end] = useMutation(EndAffiliationMutation);
  const reload = useReload(defender.id);
  const organisation = defender.affiliations.find((a) => a.organisation.id === organisationId)?.organisation;
  const form = useForm({ mode: 'controlled', initialValues: { endedOn: '' as string | null, reason: '' } });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={`${t('defenderDesk.form.endAffiliation')}${organisation ? ` — ${organisation.name}` : ''}`}
      form={form}
      subject={organisationId}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        end({
          input: { ...ids, defenderId: defender.id, organisationId, endedOn: v.endedOn || null, reason: blankToNull(v.reason) },
        })
      }
    >
      <DateInput
        label={t('defenderDesk.form.endedOn')}
        description={t('defenderDesk.form.endedOnHint')}
        valueFormat="YYYY-MM-DD"
        clearable
        {...form.getInputProps('endedOn')}
      />
      {/* Focus on the reason, not on the date: a focused DateInput opens its calendar, whose month buttons have no name (axe). */}
      <Textarea label={t('defenderDesk.form.reason')} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
    </CaseFormModal>
  );
}

export function RiskLevelForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const [, set] = useMutation(SetRiskLevelMutation);
  const reload = useReload(defender.id);
  const initial = () => ({ level: (defender.riskLevel ?? '') as string });
  const form = useForm({
    mode: 'controlled',
    initialValues: initial(),
    validate: { level: (v) => (v ? null : t('defenderDesk.form.required')) },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.risk')}
      form={form}
      initialValues={initial}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) => set({ input: { ...ids, defenderId: defender.id, level: v.level as RiskLevel } })}
    >
      <Select
        label={t('defenderDesk.form.level')}
        withAsterisk
        allowDeselect={false}
        data={riskLevels.map((r) => ({ value: r, label: t(`defenderDesk.risk.${r}`) }))}
        {...form.getInputProps('level')}
      />
    </CaseFormModal>
  );
}

export interface ConfidentialDetails {
  contact?: string | null;
  location?: string | null;
  family?: string | null;
  riskNotes?: string | null;
}

/** Replaces the RESTRICTED details; starts from the revealed ones when the person revealed them (nothing is read for it). */
export function ConfidentialDetailsForm({ opened, onClose, defender, revealed }: ProfileFormProps & { revealed: ConfidentialDetails | null }) {
  const { t } = useTranslation();
  const [, set] = useMutation(SetConfidentialDetailsMutation);
  const reload = useReload(defender.id);
  const initial = () => ({
    contact: revealed?.contact ?? '',
    location: revealed?.location ?? '',
    family: revealed?.family ?? '',
    riskNotes: revealed?.riskNotes ?? '',
  });
  const form = useForm({ mode: 'controlled', initialValues: initial() });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.confidential')}
      form={form}
      initialValues={initial}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(v, ids) =>
        set({
          input: {
            ...ids,
            defenderId: defender.id,
            contact: blankToNull(v.contact),
            location: blankToNull(v.location),
            family: blankToNull(v.family),
            riskNotes: blankToNull(v.riskNotes),
          },
        })
      }
    >
      <Text size="sm">{t('defenderDesk.form.confidentialReplace')}</Text>
      <TextInput label={t('defenderDesk.form.contact')} data-autofocus {...form.getInputProps('contact')} />
      <TextInput label={t('defenderDesk.form.location')} {...form.getInputProps('location')} />
      <Textarea label={t('defenderDesk.form.family')} autosize minRows={2} {...form.getInputProps('family')} />
      <Textarea label={t('defenderDesk.form.riskNotes')} autosize minRows={2} {...form.getInputProps('riskNotes')} />
    </CaseFormModal>
  );
}

/** One side of the merge: what the person needs to tell two profiles apart. */
function MergeSide({ which, profile, testId }: { which: string; profile: Profile | null | undefined; testId: string }) {
  const { t, i18n } = useTranslation();
  if (!profile) {
    return <Paper withBorder p="sm" data-testid={testId} />;
  }
  const shown = displayName(profile, t);
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Title order={3} size="h5">
        {t('defenderDesk.form.mergeSide', { which, name: shown.text })}
      </Title>
      <Text size="sm">{countryName(profile.country.code, i18n.language)}</Text>
      <Group gap={4}>
        <Badge size="sm" color="gray.8">
          {t(`defenderDesk.situation.${profile.situation}`)}
        </Badge>
        <Badge size="sm" color="gray.8">
          {t(`clearance.${profile.confidentiality}`)}
        </Badge>
      </Group>
      <Text size="sm">{t('defenderDesk.form.casesCount', { count: profile.cases.length })}</Text>
      <Text size="sm">{profile.affiliations.map((a) => a.organisation.name).join(', ')}</Text>
      <Text size="sm">{t('defenderDesk.profile.version', { version: profile.version })}</Text>
    </Paper>
  );
}

/** Merges two profiles: the other one is found by name or pseudonym, both shown side by side, and the person chooses the one that remains. */
export function MergeForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [, merge] = useMutation(MergeDefendersMutation);
  const form = useForm({
    mode: 'controlled',
    initialValues: { otherId: '', search: '', remains: 'this' },
    validate: { otherId: (v) => (v ? null : t('defenderDesk.form.required')) },
  });
  const values = form.getValues();
  const [search] = useDebouncedValue(values.search, 250);
  const [{ data: found }] = useQuery({
    query: DefenderListQuery,
    variables: { filter: { text: search.trim() || null }, first: 20 },
    pause: !opened,
  });
  const [{ data: other }] = useQuery({ query: DefenderProfileQuery, variables: { id: values.otherId }, pause: !values.otherId });
  const options = (found?.defenders.nodes ?? [])
    .filter((d) => d.id !== defender.id)
    .map((d) => ({ value: d.id, label: displayName(d, t).text }));
  // Keep the chosen one among the options while the search changes.
  if (other?.defender && !options.some((o) => o.value === other.defender!.id)) {
    options.unshift({ value: other.defender.id, label: displayName(other.defender, t).text });
  }
  const target = values.remains === 'this' ? defender : other?.defender;
  const source = values.remains === 'this' ? other?.defender : defender;
  const reload = useReload(target?.id ?? defender.id);
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.merge')}
      form={form}
      expectedVersion={target?.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(_, ids) =>
        merge({ input: { ...ids, sourceId: source?.id ?? '', targetId: target?.id ?? '' } })
      }
      onDone={(data) => {
        const id = (data as { mergeDefenders?: { defender?: { id: string } } })?.mergeDefenders?.defender?.id;
        if (id && id !== defender.id) void navigate(`/defenders/${encodeURIComponent(id)}`);
      }}
    >
      <Select
        label={t('defenderDesk.form.other')}
        description={t('defenderDesk.form.otherHint')}
        withAsterisk
        searchable
        data={options}
        searchValue={values.search}
        onSearchChange={(value) => form.setFieldValue('search', value)}
        filter={({ options: all }) => all}
        data-autofocus
        {...form.getInputProps('otherId')}
      />
      <SimpleGrid cols={2}>
        <MergeSide which={t('defenderDesk.form.thisProfile')} profile={defender} testId="merge-this" />
        <MergeSide which={t('defenderDesk.form.otherProfile')} profile={other?.defender} testId="merge-other" />
      </SimpleGrid>
      <Radio.Group label={t('defenderDesk.form.remains')} description={t('defenderDesk.form.remainsHint')} {...form.getInputProps('remains')}>
        <Group mt="xs">
          <Radio value="this" label={t('defenderDesk.form.keepThis')} />
          <Radio value="other" label={t('defenderDesk.form.keepOther')} disabled={!other?.defender} />
        </Group>
      </Radio.Group>
    </CaseFormModal>
  );
}

/** ADMIN: erases the person's personal data, once the name (or pseudonym) shown is typed again. */
export function EraseForm({ opened, onClose, defender }: ProfileFormProps) {
  const { t } = useTranslation();
  const [, erase] = useMutation(EraseDefenderMutation);
  const reload = useReload(defender.id);
  const expected = displayName(defender, t).text;
  const form = useForm({
    mode: 'controlled',
    initialValues: { confirmation: '' },
    validate: { confirmation: (v) => (v.trim() === expected ? null : t('defenderDesk.form.eraseMismatch')) },
  });
  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={t('defenderDesk.form.erase')}
      form={form}
      expectedVersion={defender.version}
      reload={reload}
      labelPrefix={labelPrefix}
      send={(_, ids) => erase({ input: { ...ids, defenderId: defender.id } })}
    >
      <Alert color="red" variant="light">
        {t('defenderDesk.form.eraseWarning')}
      </Alert>
      <Stack gap={4}>
        <TextInput label={t('defenderDesk.form.eraseConfirm', { name: expected })} data-autofocus autoComplete="off" {...form.getInputProps('confirmation')} />
      </Stack>
    </CaseFormModal>
  );
}
