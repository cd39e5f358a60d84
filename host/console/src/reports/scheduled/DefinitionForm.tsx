import {
  ActionIcon,
  Box,
  Button,
  Checkbox,
  Group,
  List,
  MultiSelect,
  Radio,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../../cases/CaseFormModal';
import { levels } from '../../cases/vocabulary';
import { problemOf } from '../../common/mutationErrors';
import type { Confidentiality, ReportDefinitionDetailsFragment, ReportFormat, ReportLanguage } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { reaches, useColleagueOptions } from '../../teamwork/colleagues';
import { CreateReportDefinitionMutation, ReportSchedulePreviewQuery, UpdateReportDefinitionMutation } from './documents';
import { weeklyDefault, type DraftColumn, type ReportDraft } from './drafts';
import { cronPresets, formatFire, prettyJson, reportFormats, reportLanguages, scheduleInWords, timeZones } from './schedule';

/** A new or saved definition names no colleague but its recipients' ids: the options are the person's (and an admin's accounts). */
export const noneNamed: never[] = [];
/** The modal's own labels (saved, conflict…, submit, cancel) name a report definition. */
const labelPrefix = 'reports:scheduled.form';
const monospace = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** The query, its variables, its list and the columns' paths: monospace, and read-only (filled) unless "advanced" is on. */
const code = (advanced: boolean) => ({ readOnly: !advanced, variant: advanced ? ('default' as const) : ('filled' as const), styles: monospace, spellCheck: false });

interface Values extends Record<string, unknown> {
  name: string;
  query: string;
  variables: string;
  listPath: string;
  columns: DraftColumn[];
  language: ReportLanguage;
  when: 'onDemand' | 'schedule';
  cron: string;
  timeZone: string;
  formats: ReportFormat[];
  accountRecipientIds: string[];
  emailRecipients: string;
  confidentiality: Confidentiality;
}

export interface Person {
  id?: string | null;
  role: string;
  clearance: Confidentiality;
}

function valuesOf(definition: ReportDefinitionDetailsFragment | null, draft: ReportDraft | null, clearance: Confidentiality, language: string): Values {
  const source = definition ?? draft;
  const cron = definition ? (definition.cron ?? '') : (draft?.cron ?? weeklyDefault.cron);
  return {
    name: source?.name ?? '',
    query: source?.query ?? '',
    variables: prettyJson(definition ? definition.variables : (draft?.variables ?? '{}')),
    listPath: source?.listPath ?? '',
    columns: (source?.columns ?? []).map((c) => ({ path: c.path, headingEn: c.headingEn, headingFr: c.headingFr ?? '', headingEs: c.headingEs ?? '' })),
    language: definition?.language ?? ((language.slice(0, 2).toUpperCase() as ReportLanguage) || 'EN'),
    when: cron ? 'schedule' : 'onDemand',
    cron: cron || weeklyDefault.cron,
    timeZone: source?.timeZone ?? weeklyDefault.timeZone,
    formats: source?.formats ?? weeklyDefault.formats,
    accountRecipientIds: definition?.accountRecipientIds ?? [],
    emailRecipients: definition?.emailRecipients.join('\n') ?? '',
    // A new report: STAFF, or the person's clearance when lower (as the API's default).
    confidentiality: definition?.confidentiality ?? (reaches(clearance, 'STAFF') ? 'STAFF' : clearance),
  };
}

const lines = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Create a report definition (from a view's draft, or blank) or change one: its name, its query (read-only unless
 * "advanced"), its columns with their headings in EN/FR/ES, when it runs (on demand, or a Quartz cron in an IANA zone
 * with the next fires previewed by the API as it is typed), its files, its recipients and its level. The API's
 * VALIDATION lands on its field (the preview's too: cron or timeZone), a CONFLICT offers to reload and re-apply.
 */
export function DefinitionFormModal({
  opened,
  onClose,
  definition,
  draft,
  me,
  reload,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  definition: ReportDefinitionDetailsFragment | null;
  draft: ReportDraft | null;
  me: Person;
  reload?: () => Promise<number | undefined>;
  onSaved: (definition: ReportDefinitionDetailsFragment) => void;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [, create] = useMutation(CreateReportDefinitionMutation);
  const [, update] = useMutation(UpdateReportDefinitionMutation);
  const [advanced, setAdvanced] = useState(false);
  const initial = () => valuesOf(definition, draft, me.clearance, format.locale);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial(),
    validate: {
      name: (v) => (v.trim() ? null : t('scheduled.form.required')),
      query: (v) => (v.trim() ? null : t('scheduled.form.required')),
      listPath: (v) => (v.trim() ? null : t('scheduled.form.required')),
      columns: {
        path: (v) => (v.trim() ? null : t('scheduled.form.required')),
        headingEn: (v) => (v.trim() ? null : t('scheduled.form.required')),
      },
      formats: (v) => (v.length > 0 ? null : t('scheduled.form.formatsRequired')),
    },
  });
  const values = form.getValues();
  const scheduled = values.when === 'schedule';

  // The next fires as the person types (debounced): the API checks the cron and zone as a save would.
  const [cron] = useDebouncedValue(values.cron.trim(), 400);
  const [timeZone] = useDebouncedValue(values.timeZone.trim(), 400);
  const [preview] = useQuery({
    query: ReportSchedulePreviewQuery,
    variables: { cron, timeZone },
    pause: !opened || !scheduled || !cron || !timeZone,
  });
  const previewProblem = preview.error ? problemOf(preview.error) : null;
  const previewError = (field: 'cron' | 'timeZone') =>
    previewProblem?.kind === 'validation' && previewProblem.field === field ? previewProblem.message : undefined;

  const colleagues = useColleagueOptions(noneNamed, undefined, values.confidentiality);
  // Recipients the page cannot name (another person's colleagues) stay chosen, shown by their id.
  const accountOptions = useMemo(() => {
    const named = new Set(colleagues.map((c) => c.value));
    return [...colleagues, ...values.accountRecipientIds.filter((id) => !named.has(id)).map((id) => ({ value: id, label: t('scheduled.form.unknownAccount', { id }) }))];
  }, [colleagues, values.accountRecipientIds, t]);
  const zones = useMemo(() => timeZones(values.timeZone), [values.timeZone]);
  const allowed = levels.filter((l) => reaches(me.clearance, l));

  return (
    <CaseFormModal
      opened={opened}
      onClose={onClose}
      title={definition ? t('scheduled.form.editTitle', { name: definition.name }) : t('scheduled.form.createTitle')}
      form={form}
      initialValues={initial}
      subject={`${definition?.id ?? 'new'}:${me.clearance}`}
      expectedVersion={definition?.version}
      reload={definition ? reload : undefined}
      labelPrefix={labelPrefix}
      size="xl"
      send={(v, ids) => {
        const common = {
          name: v.name.trim(),
          query: v.query,
          variables: v.variables.trim() || '{}',
          listPath: v.listPath.trim(),
          columns: v.columns.map((c) => ({ path: c.path.trim(), headingEn: c.headingEn.trim(), headingFr: c.headingFr.trim() || null, headingEs: c.headingEs.trim() || null })),
          language: v.language,
          timeZone: v.timeZone.trim(),
          formats: v.formats,
          accountRecipientIds: v.accountRecipientIds,
          emailRecipients: lines(v.emailRecipients),
          confidentiality: v.confidentiality,
        };
        const cronValue = v.when === 'schedule' ? v.cron.trim() : '';
        return definition
          ? update({ input: { ...common, cron: cronValue, reportDefinitionId: definition.id, expectedVersion: ids.expectedVersion, clientMutationId: ids.clientMutationId } })
          : create({ input: { ...common, cron: cronValue || null, clientMutationId: ids.clientMutationId } });
      }}
      onDone={(data) => {
        const payload = data as { createReportDefinition?: { reportDefinition: ReportDefinitionDetailsFragment }; updateReportDefinition?: { reportDefinition: ReportDefinitionDetailsFragment } };
        const saved = payload.createReportDefinition?.reportDefinition ?? payload.updateReportDefinition?.reportDefinition;
        if (saved) onSaved(saved);
      }}
    >
      <TextInput label={t('scheduled.form.name')} required key={form.key('name')} {...form.getInputProps('name')} />

      <Textarea
        label={t('scheduled.form.query')}
        description={t('scheduled.form.queryHelp')}
        autosize
        minRows={3}
        maxRows={12}
        {...code(advanced)}
        data-testid="definition-query"
        key={form.key('query')}
        {...form.getInputProps('query')}
      />
      <Switch label={t('scheduled.form.advanced')} checked={advanced} onChange={(e) => setAdvanced(e.currentTarget.checked)} />
      <Group grow align="flex-start">
        <Textarea
          label={t('scheduled.form.variables')}
          autosize
          minRows={1}
          maxRows={6}
          {...code(advanced)}
          data-testid="definition-variables"
          key={form.key('variables')}
          {...form.getInputProps('variables')}
        />
        <TextInput label={t('scheduled.form.listPath')} {...code(advanced)} key={form.key('listPath')} {...form.getInputProps('listPath')} />
      </Group>

      <Box component="fieldset" p={0} m={0} style={{ border: 0 }}>
        <Title order={3} size="h5" component="legend" mb={4}>
          {t('scheduled.form.columns')}
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing={4} data-testid="definition-columns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('scheduled.form.path')}</Table.Th>
                <Table.Th scope="col">{t('scheduled.form.headingEn')}</Table.Th>
                <Table.Th scope="col">{t('scheduled.form.headingFr')}</Table.Th>
                <Table.Th scope="col">{t('scheduled.form.headingEs')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('scheduled.form.remove')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {values.columns.map((c, i) => {
                const name = c.path || String(i + 1);
                return (
                  <Table.Tr key={i} data-path={c.path}>
                    <Table.Td>
                      <TextInput
                        aria-label={`${t('scheduled.form.path')} ${i + 1}`}
                        {...code(advanced)}
                        size="xs"
                        key={form.key(`columns.${i}.path`)}
                        {...form.getInputProps(`columns.${i}.path`)}
                      />
                    </Table.Td>
                    {(['headingEn', 'headingFr', 'headingEs'] as const).map((heading) => (
                      <Table.Td key={heading}>
                        <TextInput
                          aria-label={`${t(`scheduled.form.${heading}`)}: ${name}`}
                          size="xs"
                          key={form.key(`columns.${i}.${heading}`)}
                          {...form.getInputProps(`columns.${i}.${heading}`)}
                        />
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red.9"
                        aria-label={t('scheduled.form.removeColumn', { path: name })}
                        disabled={values.columns.length <= 1}
                        onClick={() => form.removeListItem('columns', i)}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {form.errors['columns'] && (
          <Text c="red.9" size="sm" role="alert">
            {String(form.errors['columns'])}
          </Text>
        )}
        {advanced && (
          <Button size="xs" variant="default" mt={4} onClick={() => form.insertListItem('columns', { path: '', headingEn: '', headingFr: '', headingEs: '' })}>
            {t('scheduled.form.addColumn')}
          </Button>
        )}
      </Box>
      <Select
        label={t('scheduled.form.language')}
        data={reportLanguages.map((l) => ({ value: l, label: t(`scheduled.form.languages.${l}`) }))}
        allowDeselect={false}
        key={form.key('language')}
        {...form.getInputProps('language')}
      />

      <Radio.Group label={t('scheduled.form.schedule')} key={form.key('when')} {...form.getInputProps('when')}>
        <Group mt={4}>
          <Radio value="onDemand" label={t('scheduled.form.onDemand')} />
          <Radio value="schedule" label={t('scheduled.form.onSchedule')} />
        </Group>
      </Radio.Group>
      {scheduled && (
        <Stack gap="xs">
          <Group gap="xs" role="group" aria-label={t('scheduled.form.presets')}>
            <Text size="sm">{t('scheduled.form.presets')}</Text>
            {cronPresets.map((p) => (
              <Button key={p.key} size="compact-sm" variant={values.cron.trim() === p.cron ? 'filled' : 'default'} onClick={() => form.setFieldValue('cron', p.cron)}>
                {t(`scheduled.form.preset.${p.key}`)}
              </Button>
            ))}
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label={t('scheduled.form.cron')}
              description={t('scheduled.form.cronHelp')}
              styles={monospace}
              spellCheck={false}
              key={form.key('cron')}
              {...form.getInputProps('cron')}
              error={form.errors['cron'] ?? previewError('cron')}
            />
            <Select
              label={t('scheduled.form.timeZone')}
              data={zones}
              searchable
              allowDeselect={false}
              limit={50}
              key={form.key('timeZone')}
              {...form.getInputProps('timeZone')}
              error={form.errors['timeZone'] ?? previewError('timeZone')}
            />
          </Group>
          <Box aria-live="polite" data-testid="schedule-preview">
            <Text size="sm" fw={600}>
              {t('scheduled.form.preview')}: {scheduleInWords(t, format.locale, values.cron)} · {values.timeZone}
            </Text>
            {preview.fetching && !preview.data ? (
              <Text size="sm" c="dimmed">
                {t('scheduled.form.previewLoading')}
              </Text>
            ) : previewProblem?.kind === 'error' ? (
              <Text size="sm" c="red.9">
                {previewProblem.message}
              </Text>
            ) : (
              !previewProblem && (
                <List size="sm" data-testid="preview-runs">
                  {(preview.data?.reportSchedulePreview ?? []).map((fire) => (
                    <List.Item key={fire}>{formatFire(format.locale, fire, timeZone)}</List.Item>
                  ))}
                </List>
              )
            )}
          </Box>
        </Stack>
      )}

      <Checkbox.Group label={t('scheduled.form.formats')} key={form.key('formats')} {...form.getInputProps('formats')}>
        <Group mt={4}>
          {reportFormats.map((f) => (
            <Checkbox key={f} value={f} label={t(`scheduled.form.format.${f}`)} />
          ))}
        </Group>
      </Checkbox.Group>
      <MultiSelect
        label={t('scheduled.form.accounts')}
        description={t('scheduled.form.accountsHelp')}
        data={accountOptions}
        searchable
        clearable
        key={form.key('accountRecipientIds')}
        {...form.getInputProps('accountRecipientIds')}
      />
      <Textarea
        label={t('scheduled.form.emails')}
        description={t('scheduled.form.emailsRule')}
        autosize
        minRows={2}
        key={form.key('emailRecipients')}
        {...form.getInputProps('emailRecipients')}
      />
      <Select
        label={t('scheduled.form.level')}
        description={t('scheduled.form.levelHelp')}
        data={allowed.map((l) => ({ value: l, label: tc(`clearance.${l}`) }))}
        allowDeselect={false}
        key={form.key('confidentiality')}
        {...form.getInputProps('confidentiality')}
      />
    </CaseFormModal>
  );
}
