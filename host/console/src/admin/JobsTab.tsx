import { Alert, Badge, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { newClientMutationId, problemOf } from '../common/mutationErrors';
import { useFormat } from '../i18n/format';
import { ApiRefusal } from './common';
import { RunJobMutation, ScheduledJobsQuery } from './queries';

/** How often the tab asks for the running job's progress while runJob is under way. */
const POLL_MS = 400;

interface Finished {
  name: string;
  outcome: string;
  items: number;
  durationMs: number;
  error?: string | null;
  progressDone?: number | null;
  progressTotal?: number | null;
}

/**
 * Scheduled jobs: schedule, last run, next fire time; "Run now" (runJob, with a day for a daily job) shows the run's
 * progress as the API reports it (scheduledJobs { running }, polled while the run goes on) until it ends.
 */
export function JobsTab() {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data, error }, reload] = useQuery({ query: ScheduledJobsQuery });
  const [, runJob] = useMutation(RunJobMutation);
  const [runningName, setRunningName] = useState<string | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asOf, setAsOf] = useState<Record<string, string>>({});
  const reloadRef = useRef(reload);
  reloadRef.current = reload;

  useEffect(() => {
    if (!runningName) {
      return undefined;
    }
    const timer = window.setInterval(() => reloadRef.current({ requestPolicy: 'network-only' }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [runningName]);

  if (error) {
    return <ApiRefusal error={error} />;
  }

  /** The reminder jobs' leads as their descriptions name them (Omct:Reminders), in the page's language. */
  const leads = {
    anniversaryDays: format.number(data?.reminderLeads.anniversaryDays ?? 0),
    deadlineDays: new Intl.ListFormat(format.locale, { type: 'conjunction' }).format(
      (data?.reminderLeads.deadlineDays ?? []).map((days) => format.number(days)),
    ),
  };

  const run = async (name: string) => {
    setProblem(null);
    setFinished(null);
    setRunningName(name);
    const day = asOf[name];
    const result = await runJob({ input: { name: name as never, asOf: day ? day : null, clientMutationId: newClientMutationId() } });
    setRunningName(null);
    reload({ requestPolicy: 'network-only' });
    if (result.error || !result.data) {
      const found = result.error ? problemOf(result.error) : null;
      setProblem(found && 'message' in found ? found.message : t('admin.failed'));
      return;
    }
    setFinished(result.data.runJob.run);
  };

  const jobs = data?.scheduledJobs ?? [];
  const current = jobs.find((job) => job.name === runningName)?.running[0];
  return (
    <Stack gap="sm">
      <Title order={2}>{t('admin.jobs.title')}</Title>
      {runningName && (
        <Stack gap={4} data-testid="job-progress" data-job={runningName}>
          <Text role="status">
            {current?.progressTotal != null
              ? t('admin.jobs.progress', { name: runningName, done: format.number(current.progressDone ?? 0), total: format.number(current.progressTotal) })
              : t('admin.jobs.runningNoProgress', { name: runningName })}
          </Text>
          <Progress
            aria-label={t('admin.jobs.progressLabel', { name: runningName })}
            value={current?.progressTotal ? (100 * (current.progressDone ?? 0)) / current.progressTotal : 0}
            animated={!current?.progressTotal}
            striped
            data-testid="job-progressbar"
            data-done={current?.progressDone ?? ''}
            data-total={current?.progressTotal ?? ''}
          />
        </Stack>
      )}
      {finished && (
        <Alert role="status" color={finished.outcome === 'SUCCEEDED' ? 'teal' : 'red'} data-testid="job-finished" data-outcome={finished.outcome}>
          {t(finished.outcome === 'SUCCEEDED' ? 'admin.jobs.succeeded' : 'admin.jobs.failedRun', {
            name: finished.name,
            items: format.number(finished.items),
            duration: format.number(finished.durationMs),
          })}
          {finished.progressTotal != null &&
            ` ${t('admin.jobs.steps', { done: format.number(finished.progressDone ?? 0), total: format.number(finished.progressTotal) })}`}
          {finished.error && ` ${finished.error}`}
        </Alert>
      )}
      {problem && <Alert role="alert" color="red">{problem}</Alert>}
      <Table striped data-testid="admin-jobs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.jobs.job')}</Table.Th>
            <Table.Th>{t('admin.jobs.schedule')}</Table.Th>
            <Table.Th>{t('admin.jobs.lastRun')}</Table.Th>
            <Table.Th>{t('admin.jobs.nextFire')}</Table.Th>
            <Table.Th>{t('admin.jobs.run')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <Table.Tr key={job.name} data-job={job.name}>
              <Table.Td>
                <Text fw={600} size="sm">{job.name}</Text>
                <Text size="xs" data-testid="job-description">
                  {t(`admin.jobs.descriptions.${job.name}`, { defaultValue: job.description, ...leads })}
                </Text>
              </Table.Td>
              <Table.Td>
                {job.intervalSeconds != null
                  ? t('admin.jobs.every', { seconds: format.number(job.intervalSeconds) })
                  : `${job.cron ?? ''} (${job.timeZone})`}
                {job.lastCompletedDay && <Text size="xs">{t('admin.jobs.lastDay', { day: format.date(job.lastCompletedDay) })}</Text>}
              </Table.Td>
              <Table.Td>
                {job.lastRun ? (
                  <>
                    <Badge color={job.lastRun.outcome === 'SUCCEEDED' ? 'teal.9' : 'red.9'}>{t(`admin.jobs.outcome.${job.lastRun.outcome}`)}</Badge>
                    <Text size="xs">
                      {format.dateTime(job.lastRun.startedAt)} · {t('admin.jobs.items', { items: format.number(job.lastRun.items) })} ·{' '}
                      {t('admin.ms', { value: format.number(job.lastRun.durationMs) })}
                    </Text>
                    {job.lastRun.error && <Text size="xs" c="red.9">{job.lastRun.error}</Text>}
                  </>
                ) : (
                  t('admin.never')
                )}
              </Table.Td>
              <Table.Td>{job.nextFireTime ? format.dateTime(job.nextFireTime) : t('admin.jobs.schedulerOff')}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {job.takesAsOf && (
                    <DateInput
                      size="xs"
                      w={128}
                      // The platform's day format in every language (a native date input would follow the browser's locale, not the page's).
                      valueFormat="YYYY-MM-DD"
                      placeholder="YYYY-MM-DD"
                      clearable
                      aria-label={t('admin.jobs.asOf', { name: job.name })}
                      value={asOf[job.name] || null}
                      onChange={(value) => setAsOf((days) => ({ ...days, [job.name]: value ?? '' }))}
                    />
                  )}
                  <Button size="compact-sm" disabled={runningName !== null} loading={runningName === job.name} onClick={() => void run(job.name)}
                    aria-label={`${t('admin.jobs.runNow')}: ${job.name}`}>
                    {t('admin.jobs.runNow')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
