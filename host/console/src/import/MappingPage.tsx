import { Alert, Button, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { levels } from '../cases/vocabulary';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useBytes } from '../files/useTusUpload';
import type { ImportKind, ImportMappingDetailsFragment } from '../gql/graphql';
import {
  ImportFieldsQuery,
  ImportFileQuery,
  ImportMappingsQuery,
  ImportMeQuery,
  SaveImportMappingMutation,
  StartImportMutation,
} from './documents';

const kinds: ImportKind[] = ['ORGANISATION', 'DEFENDER', 'CASE', 'CASE_EVENT', 'INTERVENTION', 'ARTICLE', 'SUBMISSION', 'CALL_FOR_INPUT'];
const previewRows = 10;

interface Draft {
  kind: ImportKind | null;
  /** column → field ('' = not imported) */
  fields: Record<string, string>;
  keyColumn: string | null;
  confidentiality: string | null;
  name: string;
}

type Errors = Partial<Record<'kind' | 'keyColumn' | 'name' | 'confidentiality' | 'columns' | 'start', string>> & { column?: Record<string, string> };

const normalised = (value: string) => value.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The mapping's content as the API takes it (what "saved" is compared with). */
function inputOf(draft: Draft, columns: string[]) {
  return {
    kind: draft.kind,
    name: draft.name.trim(),
    keyColumn: draft.keyColumn ?? '',
    columns: columns.filter((c) => draft.fields[c]).map((c) => ({ column: c, field: draft.fields[c]! })),
    fixedValues: draft.confidentiality ? [{ field: 'confidentiality', value: draft.confidentiality }] : [],
  };
}

/**
 * Map an import file's columns: its first rows, a field of the importer per column (or none), the key column, the
 * default confidentiality (up to the person's clearance), a name to save it by (or a saved mapping to reuse); then a
 * dry run or the import itself, each followed on its run page.
 */
export function MappingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('import');
  const { t: tc } = useTranslation();
  const bytes = useBytes();
  const navigate = useNavigate();
  const [{ data: me }] = useQuery({ query: ImportMeQuery });
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ImportFileQuery, variables: { id, first: previewRows } });
  const [{ data: saved }, reloadMappings] = useQuery({ query: ImportMappingsQuery, variables: { first: 100 } });
  const [draft, setDraft] = useState<Draft>({ kind: null, fields: {}, keyColumn: null, confidentiality: null, name: '' });
  const [{ data: fieldData }] = useQuery({ query: ImportFieldsQuery, variables: { kind: draft.kind ?? 'DEFENDER' }, pause: !draft.kind });
  const [, save] = useMutation(SaveImportMappingMutation);
  const [, start] = useMutation(StartImportMutation);
  const [errors, setErrors] = useState<Errors>({});
  const [conflict, setConflict] = useState<string | null>(null);
  const [savedAs, setSavedAs] = useState<{ name: string; version: number; content: string } | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'dry' | 'real' | null>(null);
  const saveId = useRef(newClientMutationId());
  const startId = useRef({ dry: newClientMutationId(), real: newClientMutationId() });

  const file = data?.importFile;
  const columns = useMemo(() => file?.columns ?? [], [file]);
  const fields = useMemo(() => (fieldData?.importFields ?? []).filter((f) => f.part == null), [fieldData]);
  const mappings = saved?.importMappings.nodes ?? [];
  const clearance = me?.me.clearance ?? 'STAFF';
  const levelOptions = levels.filter((_, i) => i <= levels.indexOf(clearance)).map((l) => ({ value: l, label: tc(`clearance.${l}`) }));
  const hasConfidentiality = fields.some((f) => f.name === 'confidentiality');

  // A kind chosen: each column whose name is a field's (ignoring case and punctuation) is mapped to it at once.
  useEffect(() => {
    if (fields.length === 0) return;
    setDraft((d) => {
      const next = { ...d.fields };
      for (const column of columns) {
        if (next[column] === undefined) {
          next[column] = fields.find((f) => normalised(f.name) === normalised(column))?.name ?? '';
        }
      }
      return { ...d, fields: next };
    });
  }, [fields, columns]);

  const update = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setErrors({});
  };

  const apply = (mapping: ImportMappingDetailsFragment) => {
    const byColumn = Object.fromEntries(mapping.columns.map((c) => [c.column, c.field]));
    setDraft({
      kind: mapping.kind,
      fields: Object.fromEntries(columns.map((c) => [c, byColumn[c] ?? ''])),
      keyColumn: columns.includes(mapping.keyColumn) ? mapping.keyColumn : null,
      confidentiality: mapping.fixedValues.find((f) => f.field === 'confidentiality')?.value ?? null,
      name: mapping.name,
    });
    setErrors({});
    setConflict(null);
    const content = JSON.stringify({
      kind: mapping.kind,
      name: mapping.name,
      keyColumn: mapping.keyColumn,
      columns: mapping.columns.map((c) => ({ column: c.column, field: c.field })),
      fixedValues: mapping.fixedValues.map((f) => ({ field: f.field, value: f.value })),
    });
    setSavedAs({ name: mapping.name, version: mapping.version, content });
  };

  const current = inputOf(draft, columns);
  const upToDate = savedAs !== null && savedAs.content === JSON.stringify(current);

  const check = (): Errors | null => {
    const found: Errors = {};
    if (!draft.kind) found.kind = t('kind.label');
    if (!draft.keyColumn) found.keyColumn = t('mapping.keyRequired');
    if (!current.name) found.name = t('mapping.nameRequired');
    if (current.columns.length === 0) found.columns = t('mapping.noColumn');
    const missing = fields.filter((f) => f.required && !current.columns.some((c) => c.field === f.name)).map((f) => f.name);
    if (missing.length > 0) found.columns = t('mapping.missingRequired', { fields: missing.join(', ') });
    return Object.keys(found).length > 0 ? found : null;
  };

  const onSave = async () => {
    const problems = check();
    if (problems) {
      setErrors(problems);
      return;
    }
    setBusy('save');
    const existing = mappings.find((m) => m.name === current.name);
    const result = await save({
      input: {
        clientMutationId: saveId.current,
        expectedVersion: savedAs?.name === current.name ? savedAs.version : (existing?.version ?? null),
        name: current.name,
        kind: current.kind!,
        keyColumn: current.keyColumn,
        columns: current.columns,
        fixedValues: current.fixedValues,
      },
    });
    setBusy(null);
    const mapping = result.data?.saveImportMapping.importMapping;
    if (result.error || !mapping) {
      const problem = result.error ? problemOf(result.error) : ({ kind: 'error', message: '' } as const);
      if (problem.kind === 'conflict') {
        setConflict(problem.changedByName ?? problem.changedBy ?? '—');
      } else if (problem.kind === 'validation') {
        const field = problem.field.replace(/^input\./, '');
        const columnIndex = /^columns\[(\d+)\]/.exec(field);
        if (columnIndex) {
          const column = current.columns[Number(columnIndex[1])]?.column ?? '';
          setErrors({ column: { [column]: problem.message } });
        } else if (field.startsWith('fixedValues')) {
          setErrors({ confidentiality: problem.message });
        } else if (field === 'kind' || field === 'keyColumn' || field === 'name' || field === 'columns') {
          setErrors({ [field]: problem.message });
        } else {
          setErrors({ start: problem.message });
        }
      } else {
        setErrors({ start: problem.message });
      }
      return;
    }
    saveId.current = newClientMutationId();
    setConflict(null);
    apply(mapping);
    reloadMappings({ requestPolicy: 'network-only' });
  };

  const onStart = async (dryRun: boolean) => {
    if (!savedAs || !upToDate) {
      setErrors({ start: t('run.startRealDescription') });
      return;
    }
    setBusy(dryRun ? 'dry' : 'real');
    const key = dryRun ? 'dry' : 'real';
    const result = await start({ input: { clientMutationId: startId.current[key], fileId: id, mapping: savedAs.name, dryRun } });
    setBusy(null);
    const run = result.data?.startImport.importRun;
    if (result.error || !run) {
      const problem = result.error ? problemOf(result.error) : ({ kind: 'error', message: '' } as const);
      setErrors({ start: 'message' in problem ? problem.message : '' });
      return;
    }
    startId.current[key] = newClientMutationId();
    void navigate(`/import/runs/${encodeURIComponent(run.id)}`);
  };

  if (error && !file) {
    return (
      <Alert color="red" role="alert" title={t('loadError')}>
        <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
          {t('retry')}
        </Button>
      </Alert>
    );
  }
  if (!data) {
    return fetching ? <Loader aria-label={tc('app.loading')} /> : null;
  }
  if (!file) {
    return (
      <Alert color="gray" title={t('notFound')}>
        <Button component={Link} to="/import" size="xs" variant="default">
          {t('run.newImport')}
        </Button>
      </Alert>
    );
  }

  const fieldOptions = [
    { value: '', label: t('mapping.notImported') },
    ...fields.map((f) => ({ value: f.name, label: f.required ? `${f.name} (${t('mapping.required')})` : f.name })),
  ];
  const samples = (index: number) =>
    file.preview
      .slice(0, 3)
      .map((r) => r.cells[index] ?? '')
      .filter((v) => v !== '')
      .join(' · ');

  return (
    <>
      <Title order={1} mb="xs" data-testid="import-mapping-title">
        {t('mapping.heading', { name: file.fileName })}
      </Title>
      <Text mb="md" data-testid="import-file">
        {t('mapping.file', { name: file.fileName, format: file.format, size: bytes(file.size), columns: columns.length })}
      </Text>
      {file.deletedAt && (
        <Alert color="orange" mb="md" role="status">
          {t('mapping.deleted')}
        </Alert>
      )}
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-preview-title">
          <Title order={2} size="h3" id="import-preview-title" mb="sm">
            {t('mapping.preview')}
          </Title>
          {file.preview.length === 0 ? (
            <Text>{t('mapping.noRows')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={Math.max(480, columns.length * 120)}>
              <Table striped withTableBorder data-testid="import-preview">
                <caption style={{ textAlign: 'left', captionSide: 'top' }}>{t('mapping.previewCaption', { count: file.preview.length })}</caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('mapping.line')}</Table.Th>
                    {columns.map((c) => (
                      <Table.Th scope="col" key={c}>
                        {c}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {file.preview.map((row) => (
                    <Table.Tr key={row.line} data-line={row.line}>
                      <Table.Th scope="row">{row.line}</Table.Th>
                      {columns.map((c, i) => (
                        <Table.Td key={c}>{row.cells[i] ?? ''}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-map-title">
          <Title order={2} size="h3" id="import-map-title" mb="sm">
            {t('mapping.title')}
          </Title>
          <Stack gap="md">
            <Group align="flex-end" gap="md" wrap="wrap">
              <Select
                label={t('mapping.saved')}
                placeholder={mappings.length ? t('mapping.savedPlaceholder') : t('mapping.savedNone')}
                disabled={mappings.length === 0}
                data={mappings.map((m) => ({ value: m.id, label: t('mapping.savedOption', { name: m.name, kind: t(`kind.${m.kind}`) }) }))}
                value={chosen}
                onChange={(value) => {
                  setChosen(value);
                  const mapping = mappings.find((m) => m.id === value);
                  if (mapping) apply(mapping);
                }}
                searchable
                style={{ flex: '1 1 260px' }}
                data-testid="import-saved-mapping"
              />
              <Select
                label={t('kind.label')}
                withAsterisk
                data={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
                value={draft.kind}
                onChange={(value) => update({ kind: value as ImportKind | null, fields: {} })}
                error={errors.kind}
                allowDeselect={false}
                style={{ flex: '1 1 260px' }}
                data-testid="import-kind"
              />
            </Group>

            {draft.kind && (
              <>
                <Table.ScrollContainer minWidth={560}>
                  <Table verticalSpacing="xs" data-testid="import-columns">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('mapping.column')}</Table.Th>
                        <Table.Th scope="col">{t('mapping.sample')}</Table.Th>
                        <Table.Th scope="col">{t('mapping.field')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {columns.map((column, index) => (
                        <Table.Tr key={column} data-column={column}>
                          <Table.Th scope="row">{column}</Table.Th>
                          <Table.Td>
                            <Text size="sm" lineClamp={2}>
                              {samples(index)}
                            </Text>
                          </Table.Td>
                          <Table.Td miw={220}>
                            <Select
                              aria-label={t('mapping.fieldOf', { column })}
                              data={fieldOptions}
                              value={draft.fields[column] ?? ''}
                              onChange={(value) => update({ fields: { ...draft.fields, [column]: value ?? '' } })}
                              allowDeselect={false}
                              searchable
                              error={errors.column?.[column]}
                              data-testid="import-column-field"
                            />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {errors.columns && (
                  <Text c="red.9" size="sm" role="alert" data-testid="import-columns-error">
                    {errors.columns}
                  </Text>
                )}
                <Group align="flex-start" gap="md" wrap="wrap">
                  <Select
                    label={t('mapping.key')}
                    description={t('mapping.keyDescription')}
                    withAsterisk
                    data={columns}
                    value={draft.keyColumn}
                    onChange={(value) => update({ keyColumn: value })}
                    error={errors.keyColumn}
                    searchable
                    style={{ flex: '1 1 260px' }}
                    data-testid="import-key-column"
                  />
                  {hasConfidentiality && (
                    <Select
                      label={t('mapping.confidentiality')}
                      description={t('mapping.confidentialityDescription')}
                      placeholder={t('mapping.asTheApi')}
                      data={levelOptions}
                      value={draft.confidentiality}
                      onChange={(value) => update({ confidentiality: value })}
                      error={errors.confidentiality}
                      clearable
                      style={{ flex: '1 1 260px' }}
                      data-testid="import-confidentiality"
                    />
                  )}
                </Group>
                <Group align="flex-end" gap="md" wrap="wrap">
                  <TextInput
                    label={t('mapping.name')}
                    description={t('mapping.nameDescription')}
                    withAsterisk
                    value={draft.name}
                    onChange={(e) => update({ name: e.currentTarget.value })}
                    error={errors.name}
                    maxLength={200}
                    style={{ flex: '1 1 320px' }}
                    data-testid="import-mapping-name"
                  />
                  <Button onClick={() => void onSave()} loading={busy === 'save'} data-testid="import-save-mapping">
                    {t('mapping.save')}
                  </Button>
                </Group>
                {conflict && (
                  <Alert color="orange" role="alert" data-testid="import-mapping-conflict">
                    <Text size="sm" mb="xs">
                      {t('mapping.conflict', { name: current.name, by: conflict })}
                    </Text>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => {
                        const fresh = mappings.find((m) => m.name === current.name);
                        reloadMappings({ requestPolicy: 'network-only' });
                        if (fresh) apply(fresh);
                        setConflict(null);
                      }}
                    >
                      {t('mapping.reload')}
                    </Button>
                  </Alert>
                )}
                {upToDate && savedAs && (
                  <Text size="sm" c="#24692f" role="status" data-testid="import-mapping-saved">
                    {t('mapping.savedAs', { name: savedAs.name, version: savedAs.version })}
                  </Text>
                )}
              </>
            )}
          </Stack>
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-start-title">
          <Title order={2} size="h3" id="import-start-title" mb="xs">
            {t('run.dryRun')}
          </Title>
          <Text size="sm" mb="sm">
            {t('run.dryRunDescription')} {t('run.startRealDescription')}
          </Text>
          <Group>
            <Button onClick={() => void onStart(true)} disabled={!upToDate || !!file.deletedAt} loading={busy === 'dry'} data-testid="import-start-dry">
              {t('run.startDry')}
            </Button>
            <Button
              variant="outline"
              onClick={() => void onStart(false)}
              disabled={!upToDate || !!file.deletedAt}
              loading={busy === 'real'}
              data-testid="import-start-real"
            >
              {t('run.startReal')}
            </Button>
          </Group>
          {errors.start && (
            <Text c="red.9" size="sm" mt="xs" role="alert" data-testid="import-start-error">
              {errors.start}
            </Text>
          )}
        </Paper>
      </Stack>
    </>
  );
}
