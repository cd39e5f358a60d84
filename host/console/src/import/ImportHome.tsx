import { Alert, Anchor, Badge, Button, FileInput, Group, Loader, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useBytes, useTusUpload } from '../files/useTusUpload';
import { useFormat } from '../i18n/format';
import { CreateImportMutation, ImportRunsQuery } from './documents';
import { acceptedExtensions, statusColor } from './labels';
import { CursorPager } from '../common/CursorPager';

/** The import's first screen: upload a file (tus), made an import file (createImport), and the past runs. */
export function ImportHome() {
  const { t } = useTranslation('import');
  return (
    <>
      <Title order={1} mb="xs">
        {t('title')}
      </Title>
      <Text c="dimmed" mb="md" maw={760}>
        {t('intro')}
      </Text>
      <Stack gap="lg">
        <UploadForm />
        <PastRuns />
      </Stack>
    </>
  );
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending' | 'retrying'; sent: number; total: number; attempt?: number }
  | { phase: 'reading' };

function UploadForm() {
  const { t } = useTranslation('import');
  const { t: tc } = useTranslation();
  const bytes = useBytes();
  const navigate = useNavigate();
  const [, createImport] = useMutation(CreateImportMutation);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const transfer = useTusUpload(setState);
  const clientMutationId = useRef(newClientMutationId());
  const form = useForm({
    mode: 'controlled',
    initialValues: { file: null as File | null },
    validate: {
      file: (v) =>
        !v
          ? t('upload.required')
          : !acceptedExtensions.some((e) => v.name.toLowerCase().endsWith(e))
            ? t('upload.wrongType')
            : transfer.tooLarge(v),
    },
  });

  const made = async (uploadId: string) => {
    setState({ phase: 'reading' });
    const result = await createImport({ input: { uploadId, clientMutationId: clientMutationId.current } });
    clientMutationId.current = newClientMutationId();
    const file = result.data?.createImport.importFile;
    if (result.error || !file) {
      const problem = result.error ? problemOf(result.error) : { kind: 'error' as const, message: '' };
      form.setFieldError('file', t('upload.unreadable', { message: 'message' in problem ? problem.message : '' }));
      setState({ phase: 'idle' });
      return;
    }
    void navigate(`/import/files/${encodeURIComponent(file.id)}`);
  };

  const submit = async (values: typeof form.values) => {
    await transfer.send(values.file!, {
      onSuccess: (uploadId) => void made(uploadId),
      onError: (failure) => {
        form.setFieldError('file', transfer.messageOf(failure, t('upload.wrongType')));
        setState({ phase: 'idle' });
      },
    });
  };

  const busy = state.phase !== 'idle';
  const percent = 'total' in state && state.total > 0 ? Math.floor((state.sent / state.total) * 100) : 0;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-upload-title">
      <Title order={2} size="h3" id="import-upload-title" mb="sm">
        {t('upload.title')}
      </Title>
      <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate data-testid="import-upload-form">
        <Stack gap="sm" maw={640}>
          <FileInput
            label={t('upload.file')}
            description={t('upload.description') + (transfer.max !== null ? ` ${tc('files.maxSize', { max: bytes(transfer.max) })}` : '')}
            accept={acceptedExtensions.join(',')}
            clearable
            disabled={busy}
            withAsterisk
            {...form.getInputProps('file')}
          />
          {(state.phase === 'sending' || state.phase === 'retrying') && (
            <Stack gap={4}>
              <Progress.Root>
                <Progress.Section value={percent} aria-label={t('upload.progress')} />
              </Progress.Root>
              <Text size="sm" aria-live="polite">
                {state.phase === 'retrying'
                  ? t('upload.retrying', { attempt: state.attempt ?? 1 })
                  : t('upload.sending', { percent, sent: bytes(state.sent), total: bytes(state.total) })}
              </Text>
            </Stack>
          )}
          {state.phase === 'reading' && (
            <Group gap="xs" aria-live="polite">
              <Loader size="xs" aria-hidden />
              <Text size="sm">{t('upload.reading')}</Text>
            </Group>
          )}
          <Group>
            <Button type="submit" loading={busy} data-testid="import-upload">
              {t('upload.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

const pageSize = 20;

/** The person's runs (an ADMIN: everyone's), newest first, each opening its run page. */
function PastRuns() {
  const { t } = useTranslation('import');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ImportRunsQuery,
    variables: { first: pageSize, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  const connection = data?.importRuns;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-runs-title">
      <Title order={2} size="h3" id="import-runs-title" mb="sm">
        {t('runs.title')}
      </Title>
      {error && !connection ? (
        <Alert color="red" role="alert" title={t('loadError')}>
          <Button size="xs" variant="default" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
            {t('retry')}
          </Button>
        </Alert>
      ) : !connection ? (
        fetching && <Loader aria-label={tc('app.loading')} />
      ) : connection.nodes.length === 0 ? (
        <Text>{t('runs.empty')}</Text>
      ) : (
        <>
          <Text size="sm" mb="xs">
            {t('runs.count', { count: connection.totalCount })}
          </Text>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover data-testid="import-runs">
              <caption style={{ textAlign: 'left', captionSide: 'top', fontWeight: 600 }}>{t('runs.caption')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('runs.file')}</Table.Th>
                  <Table.Th scope="col">{t('runs.kind')}</Table.Th>
                  <Table.Th scope="col">{t('runs.status')}</Table.Th>
                  <Table.Th scope="col">{t('runs.rows')}</Table.Th>
                  <Table.Th scope="col">{t('runs.errors')}</Table.Th>
                  <Table.Th scope="col">{t('runs.when')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {connection.nodes.map((run) => {
                  const at = format.dateTime(run.createdAt);
                  return (
                    <Table.Tr key={run.id} data-run-id={run.id} data-status={run.status}>
                      <Table.Th scope="row">
                        <Anchor component={Link} to={`/import/runs/${encodeURIComponent(run.id)}`} aria-label={t('runs.open', { name: run.fileName, at })}>
                          {run.fileName}
                        </Anchor>
                        <Text size="xs">
                          {run.mapping.name} · {t(`kind.${run.mapping.kind}`)}
                        </Text>
                      </Table.Th>
                      <Table.Td>{run.dryRun ? t('runs.dry') : t('runs.real')}</Table.Td>
                      <Table.Td>
                        <Badge color={statusColor[run.status]}>
                          {t(`status.${run.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {run.rowsTotal != null
                          ? t('run.rows', { done: format.number(run.rowsDone), total: format.number(run.rowsTotal) })
                          : format.number(run.rowsDone)}
                      </Table.Td>
                      <Table.Td>{format.number(run.errorRows)}</Table.Td>
                      <Table.Td>{at}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <CursorPager cursors={cursors} pageInfo={connection.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
        </>
      )}
    </Paper>
  );
}
