import { Alert, Anchor, Badge, Button, Code, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { CaseFormModal } from '../../cases/CaseFormModal';
import { levelColor } from '../../cases/vocabulary';
import { newClientMutationId, problemOf } from '../../common/mutationErrors';
import { QueryState } from '../../common/QueryState';
import type { ReportDefinitionDetailsFragment } from '../../gql/graphql';
import { useFormat } from '../../i18n/format';
import { useColleagueOptions } from '../../teamwork/colleagues';
import { AreaNav } from '../AreaNav';
import { DefinitionFormModal, noneNamed, type Person } from './DefinitionForm';
import { DeleteReportDefinitionMutation, ReportDefinitionQuery, RunReportNowMutation } from './documents';
import { RunsPanel } from './RunsPanel';
import { formatFire, prettyJson, scheduleInWords } from './schedule';

/**
 * /reports/definitions/:id — a definition: its schedule in words with its next runs, what it reads and makes, who
 * gets it; "edit", "run now" and "delete" for its owner and admins; its runs with their files.
 */
export function DefinitionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('reports');
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ReportDefinitionQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <QueryState data={data} fetching={fetching} error={error} retry={refresh} errorTitle={t('loadError')} retryLabel={t('retry')}>
      {(data) =>
        data.reportDefinition ? (
          <Definition definition={data.reportDefinition} me={data.me} refresh={refresh} />
        ) : (
          <>
            <AreaNav />
            <Alert color="gray" role="status" data-testid="definition-not-found">
              <Text mb="xs">{t('scheduled.notFound')}</Text>
              <Anchor component={Link} to="/reports/definitions">
                {t('scheduled.back')}
              </Anchor>
            </Alert>
          </>
        )
      }
    </QueryState>
  );
}

function Definition({
  definition,
  me: person,
  refresh,
}: {
  definition: ReportDefinitionDetailsFragment & { nextRuns: string[] };
  me: Person;
  refresh: () => void;
}) {
  const { t } = useTranslation('reports');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const client = useClient();
  const [, runNow] = useMutation(RunReportNowMutation);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [running, setRunning] = useState(false);
  const [runProblem, setRunProblem] = useState<string | null>(null);
  const [runsVersion, setRunsVersion] = useState(0);
  const runId = useRef(newClientMutationId());
  const deleteForm = useForm<Record<string, unknown>>({ initialValues: {} });
  const colleagues = useColleagueOptions(noneNamed, undefined, definition.confidentiality);
  const reloadVersion = async () => {
    const result = await client.query(ReportDefinitionQuery, { id: definition.id }, { requestPolicy: 'network-only' }).toPromise();
    return result.data?.reportDefinition?.version;
  };

  const manages = person.id === definition.ownerId || person.role === 'ADMIN';
  const run = async () => {
    if (running) return;
    setRunning(true);
    setRunProblem(null);
    try {
      const result = await runNow({ input: { reportDefinitionId: definition.id, clientMutationId: runId.current } });
      if (result.error) {
        const found = problemOf(result.error);
        setRunProblem(t('scheduled.runFailed', { message: found.kind === 'conflict' ? '' : found.message }));
        return;
      }
      runId.current = newClientMutationId();
      const done = result.data?.runReportNow.reportRun;
      if (done) {
        const status = t(`scheduled.status.${done.status}`);
        notifications.show({
          message: done.rows === null || done.rows === undefined ? t('scheduled.ran', { status }) : t('scheduled.ranRows', { status, count: done.rows }),
          color: done.status === 'SUCCEEDED' ? 'green.9' : 'red.9',
          closeButtonProps: { 'aria-label': t('scheduled.form.close') },
        });
      }
      setRunsVersion((v) => v + 1);
      refresh();
    } finally {
      setRunning(false);
    }
  };
  const accountName = (accountId: string) => colleagues.find((c) => c.value === accountId)?.label ?? t('scheduled.form.unknownAccount', { id: accountId });

  return (
    <>
      <AreaNav />
      <Anchor component={Link} to="/reports/definitions" size="sm">
        ← {t('scheduled.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" mt="xs" mb="md">
        <Title order={1} data-testid="definition-title">
          {definition.name}
        </Title>
        {manages && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setEditing(true)} data-testid="edit-definition">
              {t('scheduled.edit')}
            </Button>
            <Button onClick={() => void run()} loading={running} disabled={running} data-testid="run-now">
              {t('scheduled.runNow')}
            </Button>
            <Button variant="default" color="red.9" onClick={() => setDeleting(true)} data-testid="delete-definition">
              {t('scheduled.delete')}
            </Button>
          </Group>
        )}
      </Group>
      {!manages && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('scheduled.readOnly')}
        </Text>
      )}
      {runProblem && (
        <Alert color="red" variant="light" role="alert" mb="md">
          {runProblem}
        </Alert>
      )}
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <Paper component="section" withBorder p="md" radius="md" aria-labelledby="definition-schedule-title">
            <Title order={2} size="h4" id="definition-schedule-title" mb="xs">
              {t('scheduled.nextRuns')}
            </Title>
            <Text mb="xs" data-testid="definition-schedule">
              {definition.cron ? t('scheduled.inZone', { schedule: scheduleInWords(t, format.locale, definition.cron), zone: definition.timeZone }) : t('scheduled.words.onDemand')}
            </Text>
            {definition.nextRuns.length === 0 ? (
              <Text size="sm">{t('scheduled.noNextRun')}</Text>
            ) : (
              <List size="sm" data-testid="next-runs">
                {definition.nextRuns.map((fire) => (
                  <List.Item key={fire} data-fire={fire}>
                    {formatFire(format.locale, fire, definition.timeZone)}
                  </List.Item>
                ))}
              </List>
            )}
          </Paper>
          <Paper component="section" withBorder p="md" radius="md" aria-labelledby="definition-summary-title">
            <Title order={2} size="h4" id="definition-summary-title" mb="xs">
              {t('scheduled.summary')}
            </Title>
            <Table variant="vertical" withRowBorders={false} verticalSpacing={4}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row" w={200}>{t('scheduled.details.formats')}</Table.Th>
                  <Table.Td data-testid="definition-formats">{definition.formats.join(', ')}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row" w={200}>{t('scheduled.details.level')}</Table.Th>
                  <Table.Td>
                    <Badge color={levelColor[definition.confidentiality]} variant="filled">
                      {tc(`clearance.${definition.confidentiality}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row" w={200}>{t('scheduled.details.language')}</Table.Th>
                  <Table.Td>{t(`scheduled.form.languages.${definition.language}`)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row" w={200}>{t('scheduled.details.accounts')}</Table.Th>
                  <Table.Td>{definition.accountRecipientIds.length ? definition.accountRecipientIds.map(accountName).join(', ') : t('scheduled.details.none')}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row" w={200}>{t('scheduled.details.emails')}</Table.Th>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{definition.emailRecipients.length ? definition.emailRecipients.join(', ') : t('scheduled.details.none')}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Paper>
        </SimpleGrid>
        <Paper component="section" withBorder p="md" radius="md" aria-labelledby="definition-query-title">
          <Title order={2} size="h4" id="definition-query-title" mb="xs">
            {t('scheduled.details.query')}
          </Title>
          <Code block data-testid="definition-query-text">
            {definition.query}
          </Code>
          <Code block mt="xs">
            {prettyJson(definition.variables)}
          </Code>
          <Table.ScrollContainer minWidth={560} mt="sm">
            <Table striped>
              <caption style={{ textAlign: 'left', captionSide: 'top', fontWeight: 600 }}>{t('scheduled.details.columns')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('scheduled.details.path')}</Table.Th>
                  <Table.Th scope="col">{t('scheduled.form.headingEn')}</Table.Th>
                  <Table.Th scope="col">{t('scheduled.form.headingFr')}</Table.Th>
                  <Table.Th scope="col">{t('scheduled.form.headingEs')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {definition.columns.map((c) => (
                  <Table.Tr key={c.path}>
                    <Table.Th scope="row">
                      <Code>{c.path}</Code>
                    </Table.Th>
                    <Table.Td>{c.headingEn}</Table.Td>
                    <Table.Td>{c.headingFr ?? ''}</Table.Td>
                    <Table.Td>{c.headingEs ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
        <RunsPanel definitionId={definition.id} version={runsVersion} />
      </Stack>
      {manages && (
        <>
          <DefinitionFormModal
            opened={editing}
            onClose={() => setEditing(false)}
            definition={definition}
            draft={null}
            me={person}
            reload={reloadVersion}
            onSaved={refresh}
          />
          <CaseFormModal
            opened={deleting}
            onClose={() => setDeleting(false)}
            title={t('scheduled.deleteTitle', { name: definition.name })}
            form={deleteForm}
            subject={`delete:${definition.id}`}
            expectedVersion={definition.version}
            reload={reloadVersion}
            labelPrefix="reports:scheduled.deleteForm"
            onDone={() => void navigate('/reports/definitions', { replace: true })}
            send={(_, ids) =>
              client
                .mutation(DeleteReportDefinitionMutation, { input: { reportDefinitionId: definition.id, expectedVersion: ids.expectedVersion, clientMutationId: ids.clientMutationId } })
                .toPromise()
            }
          >
            <Text>{t('scheduled.deleteBody')}</Text>
          </CaseFormModal>
        </>
      )}
    </>
  );
}
