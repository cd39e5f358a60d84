import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { OperationResult } from '@urql/core';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newClientMutationId, problemOf, type MutationProblem } from '../common/mutationErrors';

/**
 * One form's submissions to the API: a clientMutationId made for a submission and kept until it is written (a
 * double click or a retry writes once), nothing sent while one is in flight, and the contract's answer read as a
 * problem (CONFLICT with who and when, VALIDATION with its field, or a message).
 */
export function useSubmission() {
  const { t } = useTranslation();
  const clientMutationId = useRef(newClientMutationId());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<MutationProblem | null>(null);

  const submit = useCallback(
    async <T,>(
      send: (clientMutationId: string) => Promise<OperationResult<T>>,
      expectedVersion?: number,
    ): Promise<{ data?: T; problem?: MutationProblem }> => {
      if (inFlight.current) {
        return {};
      }
      inFlight.current = true;
      setBusy(true);
      setProblem(null);
      try {
        const result = await send(clientMutationId.current);
        if (result.error) {
          const found = problemOf(result.error);
          const shown = found.kind === 'conflict' ? { ...found, expectedVersion } : found;
          setProblem(shown);
          return { problem: shown };
        }
        clientMutationId.current = newClientMutationId();
        notifications.show({ message: t('newsDesk.form.saved'), color: 'green.9', closeButtonProps: { 'aria-label': t('newsDesk.form.close') } });
        return { data: result.data };
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [t],
  );

  const reset = useCallback(() => {
    clientMutationId.current = newClientMutationId();
    setProblem(null);
  }, []);

  return { busy, problem, setProblem, submit, reset };
}

/** A CONFLICT: who changed the article, when, its version now, and "reload and re-apply". */
export function ConflictAlert({
  problem,
  meId,
  busy,
  onReapply,
}: {
  problem: Extract<MutationProblem, { kind: 'conflict' }>;
  meId?: string;
  busy: boolean;
  onReapply: () => void;
}) {
  const { t, i18n } = useTranslation();
  const who = problem.changedBy ? (problem.changedBy === meId ? t('newsDesk.form.conflictYou') : problem.changedBy) : null;
  const when = problem.changedAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(problem.changedAt))
    : null;
  const versions = { version: problem.currentVersion ?? '?', expected: problem.expectedVersion ?? '?' };
  return (
    <Alert color="orange" variant="light" title={t('newsDesk.form.conflictTitle')} role="alert" data-testid="conflict">
      <Stack gap="xs">
        <Text size="sm">
          {who && when ? t('newsDesk.form.conflictWho', { who, when, ...versions }) : t('newsDesk.form.conflictWhoHidden', versions)}
        </Text>
        <Group>
          <Button size="xs" onClick={onReapply} loading={busy} disabled={busy}>
            {t('newsDesk.form.reapply')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** A problem that is not on a field of the form: shown above its buttons. */
export function ProblemAlert({ problem, title }: { problem: MutationProblem | null; title?: string }) {
  const { t } = useTranslation();
  if (!problem || problem.kind === 'conflict') {
    return null;
  }
  return (
    <Alert color="red" variant="light" role="alert" title={title} data-testid="problem">
      {problem.message || t('newsDesk.form.failed')}
    </Alert>
  );
}
