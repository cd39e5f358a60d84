import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { MaskedDateInput } from '@mantine/dates';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { ArticleDetailsFragment } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { ArchiveArticleMutation, PublishArticleMutation, UnpublishArticleMutation } from './documents';
import { formatGeneva, fromGenevaWallTime, genevaZone, toGenevaWallTime } from './geneva';
import { ConflictAlert, ProblemAlert, useSubmission } from './submission';

/**
 * Publish now, schedule (a date and time in Geneva, Europe/Zurich, whatever the browser's zone — the API gets the
 * instant), unpublish, archive. A refusal (a portrait without consent) is shown with the API's reason.
 */
export function PublicationPanel({
  article,
  canEdit,
  meId,
  reload,
}: {
  article: ArticleDetailsFragment;
  canEdit: boolean;
  meId?: string;
  reload: () => Promise<number | undefined>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [, publish] = useMutation(PublishArticleMutation);
  const [, unpublish] = useMutation(UnpublishArticleMutation);
  const [, archive] = useMutation(ArchiveArticleMutation);
  const { busy, problem, submit, setProblem } = useSubmission();
  const [wallTime, setWallTime] = useState<string | null>(null);
  const [timeError, setTimeError] = useState<string | null>(null);
  const [last, setLast] = useState<((version: number) => Promise<unknown>) | null>(null);

  const run = (action: (version: number) => Promise<unknown>) => {
    setLast(() => action);
    return action(article.version);
  };

  const doPublish = (publishAt: string | null) => (version: number) =>
    submit((clientMutationId) => publish({ input: { articleId: article.id, expectedVersion: version, clientMutationId, publishAt } }), version);
  const doUnpublish = (version: number) =>
    submit((clientMutationId) => unpublish({ input: { articleId: article.id, expectedVersion: version, clientMutationId } }), version);
  const doArchive = (version: number) =>
    submit((clientMutationId) => archive({ input: { articleId: article.id, expectedVersion: version, clientMutationId } }), version);

  const schedule = () => {
    const instant = wallTime ? fromGenevaWallTime(wallTime) : null;
    if (!instant) {
      setTimeError(t('newsDesk.publication.timeRequired'));
      return;
    }
    if (instant.getTime() <= Date.now()) {
      setTimeError(t('newsDesk.publication.timePast'));
      return;
    }
    setTimeError(null);
    void run(doPublish(instant.toISOString()));
  };

  const reapply = async () => {
    const version = await reload();
    if (last && version !== undefined) {
      setProblem(null);
      await last(version);
    }
  };

  const status = article.status;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="publication-heading">
      <Title order={2} size="h4" id="publication-heading" mb="sm">
        {t('newsDesk.publication.title')}
      </Title>
      <Stack gap="sm">
        <Text data-testid="article-publication">
          {status === 'SCHEDULED' && article.publishAt
            ? t('newsDesk.publication.scheduledFor', { when: formatGeneva(article.publishAt, format.locale) })
            : status === 'PUBLISHED' && article.publishedAt
              ? t('newsDesk.publication.publishedOn', { when: formatGeneva(article.publishedAt, format.locale) })
              : t(`newsDesk.publication.state.${status}`)}
        </Text>
        {article.withheldReason && (
          <Alert color="red" variant="light" title={t('newsDesk.publication.withheld')} role="status" data-testid="withheld-reason">
            {article.withheldReason}
          </Alert>
        )}
        {canEdit && status !== 'ARCHIVED' && (
          <>
            {status !== 'PUBLISHED' && (
              <Group align="flex-end">
                <MaskedDateInput
                  label={t('newsDesk.publication.at')}
                  description={t('newsDesk.publication.atHelp', { zone: genevaZone, now: toGenevaWallTime(new Date()).slice(0, 16) })}
                  withTime
                  withSeconds
                  fieldsOrder={['year', 'month', 'day']}
                  dateSeparator="-"
                  value={wallTime}
                  onChange={(value) => {
                    setWallTime(value);
                    setTimeError(null);
                  }}
                  error={timeError}
                  dayInputLabel={t('newsDesk.publication.day')}
                  monthInputLabel={t('newsDesk.publication.month')}
                  yearInputLabel={t('newsDesk.publication.year')}
                  hoursInputLabel={t('newsDesk.publication.hours')}
                  minutesInputLabel={t('newsDesk.publication.minutes')}
                  secondsInputLabel={t('newsDesk.publication.seconds')}
                  rightSection={
                    <Text size="xs" c="dimmed" pr="xs">
                      {t('newsDesk.publication.genevaShort')}
                    </Text>
                  }
                  rightSectionWidth={70}
                  w={380}
                  data-testid="publish-at"
                />
                <Button onClick={schedule} loading={busy} disabled={busy}>
                  {t('newsDesk.publication.schedule')}
                </Button>
                <Button variant="default" onClick={() => void run(doPublish(null))} loading={busy} disabled={busy}>
                  {t('newsDesk.publication.publishNow')}
                </Button>
              </Group>
            )}
            <Group>
              {(status === 'PUBLISHED' || status === 'SCHEDULED') && (
                <Button variant="default" onClick={() => void run(doUnpublish)} loading={busy} disabled={busy}>
                  {t('newsDesk.publication.unpublish')}
                </Button>
              )}
              <Button variant="default" color="red.9" onClick={() => void run(doArchive)} loading={busy} disabled={busy}>
                {t('newsDesk.publication.archive')}
              </Button>
            </Group>
          </>
        )}
        {problem?.kind === 'conflict' && <ConflictAlert problem={problem} meId={meId} busy={busy} onReapply={() => void reapply()} />}
        <ProblemAlert
          problem={problem?.kind === 'validation' ? { kind: 'error', message: problem.message } : problem}
          title={t('newsDesk.publication.refused')}
        />
      </Stack>
    </Paper>
  );
}
