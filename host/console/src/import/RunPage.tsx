import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { CancelImportMutation, ImportMeQuery, ImportRunQuery, StartImportMutation } from './documents';
import { runFinished, statusColor, useDuration } from './labels';
import { CursorPager } from '../common/CursorPager';

const errorsPage = 50;
/** How often a run still going is asked for again. */
const pollMs = 1000;

/**
 * One run, dry or real: its progress (rows done of total, errors, rate, time left) asked for every second until it is
 * finished, its figures (created, changed, unchanged), every error with its line, column and message, the error report
 * as CSV (a plain link the session opens), cancel while it runs; after a dry run, the import of the same file.
 */
export function RunPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('import');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const navigate = useNavigate();
  const [cursors, setCursors] = useState<string[]>([]);
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: ImportRunQuery,
    variables: { id, first: errorsPage, after: cursors[cursors.length - 1] ?? null },
    requestPolicy: 'cache-and-network',
  });
  const [{ data: me }] = useQuery({ query: ImportMeQuery });
  const [, cancel] = useMutation(CancelImportMutation);
  const [, start] = useMutation(StartImportMutation);
  const [cancelling, setCancelling] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const cancelId = useRef(newClientMutationId());
  const startId = useRef(newClientMutationId());
  const run = data?.importRun;
  const going = run ? !runFinished(run.status) : false;

  useEffect(() => {
    if (!going) return;
    const timer = window.setTimeout(() => reexecute({ requestPolicy: 'network-only' }), pollMs);
    return () => window.clearTimeout(timer);
  }, [going, data, reexecute]);

  if (error && !run) {
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
  if (!run) {
    return (
      <Alert color="gray" title={t('notFound')}>
        <Button component={Link} to="/import" size="xs" variant="default">
          {t('run.newImport')}
        </Button>
      </Alert>
    );
  }

  const onCancel = async () => {
    setCancelling(true);
    const result = await cancel({ input: { runId: run.id, clientMutationId: cancelId.current } });
    if (result.error) {
      const p = problemOf(result.error);
      setProblem('message' in p ? p.message : '');
      setCancelling(false);
      return;
    }
    reexecute({ requestPolicy: 'network-only' });
  };

  const onImport = async () => {
    setStarting(true);
    const result = await start({ input: { fileId: run.fileId, mapping: run.mapping.name, dryRun: false, clientMutationId: startId.current } });
    setStarting(false);
    const started = result.data?.startImport.importRun;
    if (result.error || !started) {
      const p = result.error ? problemOf(result.error) : ({ kind: 'error', message: '' } as const);
      setProblem('message' in p ? p.message : '');
      return;
    }
    startId.current = newClientMutationId();
    setCursors([]);
    void navigate(`/import/runs/${encodeURIComponent(started.id)}`);
  };

  const total = run.rowsTotal;
  const percent = total ? Math.min(100, Math.floor((run.rowsDone / total) * 100)) : run.status === 'SUCCEEDED' ? 100 : 0;
  const errors = run.errors;
  const figures = [
    { key: 'created', label: run.dryRun ? t('run.wouldCreate') : t('run.created'), value: run.created },
    { key: 'changed', label: run.dryRun ? t('run.wouldChange') : t('run.changed'), value: run.changed },
    { key: 'unchanged', label: t('run.unchanged'), value: run.unchanged },
    ...(run.changedNotApplied > 0 ? [{ key: 'changedNotApplied', label: t('run.changedNotApplied'), value: run.changedNotApplied }] : []),
    { key: 'errorRows', label: t('run.errorRows'), value: run.errorRows },
  ];

  return (
    <>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Title order={1} data-testid="import-run-title">
          {run.dryRun ? t('run.titleDry', { name: run.fileName }) : t('run.titleReal', { name: run.fileName })}
        </Title>
        <Badge size="lg" color={statusColor[run.status]} variant="filled" data-testid="import-run-status" data-status={run.status}>
          {t(`status.${run.status}`)}
        </Badge>
      </Group>
      <Text size="sm" mb="md">
        {t('run.mappingUsed', { name: run.mapping.name, kind: t(`kind.${run.mapping.kind}`), by: run.startedBy === me?.me.id ? t('run.you') : run.startedBy, at: format.dateTime(run.createdAt) })}
      </Text>
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-progress-title" data-testid="import-progress">
          <Title order={2} size="h3" id="import-progress-title" mb="sm">
            {t('run.progress')}
          </Title>
          <Progress.Root size="xl" data-testid="import-progress-bar">
            <Progress.Section value={percent} striped={going} animated={going} aria-label={t('run.progress')} aria-valuetext={`${percent} %`} />
          </Progress.Root>
          <Group gap="lg" mt="xs" aria-live="polite">
            <Text size="sm" data-testid="import-rows">
              {total != null
                ? t('run.rows', { done: format.number(run.rowsDone), total: format.number(total) })
                : t('run.rowsUncounted', { done: format.number(run.rowsDone) })}
            </Text>
            {run.rate != null && <Text size="sm">{t('run.rate', { rate: format.number(Math.round(run.rate * 10) / 10) })}</Text>}
            {going && (
              <Text size="sm">{run.secondsLeft != null ? t('run.timeLeft', { time: duration(run.secondsLeft) }) : t('run.timeUnknown')}</Text>
            )}
          </Group>
          {run.status === 'FAILED' && (
            <Alert color="red" mt="sm" role="alert">
              {t('run.failed', { message: run.error ?? '' })}
            </Alert>
          )}
          {run.status === 'SUCCEEDED' && (
            <Text size="sm" mt="sm" fw={600} role="status" data-testid="import-finished">
              {run.dryRun ? t('run.finishedDry') : t('run.finishedReal')}
            </Text>
          )}
          {going && (
            <Button mt="sm" color="red" variant="outline" onClick={() => void onCancel()} loading={cancelling} data-testid="import-cancel">
              {t('run.cancel')}
            </Button>
          )}
          {going && cancelling && (
            <Text size="sm" mt="xs">
              {t('run.cancelling')}
            </Text>
          )}
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-figures-title">
          <Title order={2} size="h3" id="import-figures-title" mb="sm">
            {t('run.figures')}
          </Title>
          <SimpleGrid cols={{ base: 2, sm: figures.length }} component="dl" m={0} data-testid="import-figures">
            {figures.map((f) => (
              <div key={f.key} data-figure={f.key}>
                <Text component="dt" size="sm">
                  {f.label}
                </Text>
                <Text component="dd" m={0} fw={700} size="xl" data-value={f.value}>
                  {format.number(f.value)}
                </Text>
              </div>
            ))}
          </SimpleGrid>
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-errors-title">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h3" id="import-errors-title">
              {t('run.errors')} ({format.number(errors.totalCount)})
            </Title>
            {errors.totalCount > 0 && (
              <Anchor href={run.errorReportUrl} download data-testid="import-error-report">
                {t('run.download')}
              </Anchor>
            )}
          </Group>
          {errors.totalCount === 0 ? (
            <Text size="sm">{runFinished(run.status) ? t('run.noErrors') : '—'}</Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={560}>
                <Table striped data-testid="import-errors">
                  <caption style={{ textAlign: 'left', captionSide: 'top' }}>{t('run.errorsCaption')}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('mapping.line')}</Table.Th>
                      <Table.Th scope="col">{t('run.column')}</Table.Th>
                      <Table.Th scope="col">{t('run.message')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {errors.nodes.map((e, i) => (
                      <Table.Tr key={`${e.line}-${e.column}-${i}`} data-line={e.line} data-column={e.column}>
                        <Table.Th scope="row">{format.number(e.line)}</Table.Th>
                        <Table.Td>{e.column || t('run.wholeRow')}</Table.Td>
                        <Table.Td>{e.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <CursorPager cursors={cursors} pageInfo={errors.pageInfo} onChange={setCursors} previousLabel={t('previous')} nextLabel={t('next')} size="xs" mt="sm" hideWhenSinglePage />
            </>
          )}
        </Paper>

        {run.dryRun && run.status === 'SUCCEEDED' && (
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-next-title">
            <Title order={2} size="h3" id="import-next-title" mb="xs">
              {t('run.startReal')}
            </Title>
            <Text size="sm" mb="sm">
              {t('run.afterDry')}
            </Text>
            <Button onClick={() => void onImport()} loading={starting} data-testid="import-start-after-dry">
              {t('run.startReal')}
            </Button>
          </Paper>
        )}
        {problem && (
          <Alert color="red" role="alert" data-testid="import-run-problem">
            {problem}
          </Alert>
        )}
        <Group>
          <Button component={Link} to={`/import/files/${encodeURIComponent(run.fileId)}`} variant="default">
            {t('run.backToMapping')}
          </Button>
          <Button component={Link} to="/import" variant="default">
            {t('run.newImport')}
          </Button>
        </Group>
      </Stack>
    </>
  );
}
