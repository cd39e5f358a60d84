import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { OperationResult } from '@urql/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { CaseDeskMeQuery } from './documents';
import { formFieldOf, newClientMutationId, problemOf, type MutationProblem } from '../common/mutationErrors';

export interface SubmissionIds {
  clientMutationId: string;
  expectedVersion?: number;
}

interface CaseFormModalProps<V extends Record<string, unknown>> {
  opened: boolean;
  onClose: () => void;
  title: string;
  form: UseFormReturnType<V>;
  /** The values the form starts from each time it opens (default: the form's own initial values). */
  initialValues?: () => V;
  /** What the form is about (an event's id, an intervention's type): opening it for another one starts it afresh. */
  subject?: string;
  /** The case's version as the page shows it (sent as expectedVersion); absent when opening a case. */
  expectedVersion?: number;
  send: (values: V, ids: SubmissionIds) => Promise<OperationResult<unknown>>;
  /** Reloads the case from the API and answers its current version (for "reload and re-apply"). */
  reload?: () => Promise<number | undefined>;
  onDone?: (data: unknown) => void;
  /** Where the modal's own labels are (saved, conflict…, submit, cancel): another area's namespace names its record. */
  labelPrefix?: string;
  /** The modal's width (Mantine's sizes); lg unless a form needs more room. */
  size?: string;
  children: ReactNode;
}

/**
 * Every case form: a Mantine modal around a @mantine/form form. A submission carries one clientMutationId, made when
 * the form opens and kept until it is written, so that a double click or a retry writes once; the submit button is
 * disabled while a submission is in flight. CONFLICT says who changed the case and when, and offers to reload the
 * case and send the same input again on its new version; VALIDATION lands on its field (extensions.field).
 */
export function CaseFormModal<V extends Record<string, unknown>>({
  opened,
  onClose,
  title,
  form,
  initialValues,
  subject,
  expectedVersion,
  send,
  reload,
  onDone,
  labelPrefix = 'caseDesk.form',
  size = 'lg',
  children,
}: CaseFormModalProps<V>) {
  const { t: translate, i18n } = useTranslation();
  const t = (key: string, options?: Record<string, unknown>) =>
    translate(key.startsWith('caseDesk.form.') ? labelPrefix + key.slice('caseDesk.form'.length) : key, options);
  const [{ data: me }] = useQuery({ query: CaseDeskMeQuery });
  const clientMutationId = useRef<string>(newClientMutationId());
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<MutationProblem | null>(null);

  // Each opening starts afresh: the values, a new clientMutationId, no problem shown.
  useEffect(() => {
    if (opened) {
      if (initialValues) {
        form.setInitialValues(initialValues());
      }
      form.reset();
      clientMutationId.current = newClientMutationId();
      inFlight.current = false;
      setProblem(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, subject]);

  const run = async (values: V, version: number | undefined) => {
    if (inFlight.current) {
      return;
    }
    inFlight.current = true;
    setBusy(true);
    setProblem(null);
    // Once saved, the form takes no second submission until it is opened again: a click landing after the answer (a
    // double click on a fast server) would otherwise carry the next clientMutationId and record the change twice.
    let saved = false;
    try {
      const result = await send(values, { clientMutationId: clientMutationId.current, expectedVersion: version });
      if (result.error) {
        const found = problemOf(result.error);
        if (found.kind === 'validation') {
          const field = formFieldOf(found.field);
          if (field in form.getValues()) {
            form.setFieldError(field, found.message);
            return;
          }
          setProblem({ kind: 'error', message: found.message });
          return;
        }
        setProblem(found.kind === 'conflict' ? { ...found, expectedVersion: version } : found);
        return;
      }
      saved = true;
      clientMutationId.current = newClientMutationId();
      notifications.show({ message: t(`caseDesk.form.saved`), color: 'green.9', closeButtonProps: { 'aria-label': t(`caseDesk.form.close`) } });
      onDone?.(result.data);
      onClose();
    } finally {
      inFlight.current = saved;
      setBusy(false);
    }
  };

  const reapply = async () => {
    if (!reload || inFlight.current) {
      return;
    }
    const version = await reload();
    const check = form.validate();
    if (!check.hasErrors) {
      await run(form.getValues(), version);
    }
  };

  const who =
    problem?.kind === 'conflict' && problem.changedBy
      ? problem.changedBy === me?.me.id
        ? t('caseDesk.form.conflictYou')
        : (problem.changedByName ?? problem.changedBy)
      : null;
  const when =
    problem?.kind === 'conflict' && problem.changedAt
      ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(problem.changedAt))
      : null;

  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} closeButtonProps={{ 'aria-label': t(`caseDesk.form.close`) }}>
      <form onSubmit={form.onSubmit((values) => void run(values, expectedVersion))} noValidate>
        <Stack gap="sm">
          {children}
          {problem?.kind === 'conflict' && (
            <Alert
              color="orange"
              variant="light"
              title={t(`caseDesk.form.conflictTitle`)}
              role="alert"
              data-testid="conflict"
              // The title in the text's colour: the light variant's orange on its pale tint is below 4.5:1.
              styles={{ label: { color: 'var(--mantine-color-text)' } }}
            >
              <Stack gap="xs">
                <Text size="sm">
                  {who && when
                    ? t(`caseDesk.form.conflictWho`, {
                        who,
                        when,
                        version: problem.currentVersion ?? '?',
                        expected: problem.expectedVersion ?? '?',
                      })
                    : t(`caseDesk.form.conflictWhoHidden`, {
                        version: problem.currentVersion ?? '?',
                        expected: problem.expectedVersion ?? '?',
                      })}
                </Text>
                {reload && (
                  <Group>
                    <Button size="xs" onClick={() => void reapply()} loading={busy} disabled={busy}>
                      {t(`caseDesk.form.reapply`)}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Alert>
          )}
          {problem?.kind === 'error' && (
            <Alert color="red" variant="light" role="alert">
              {t(`caseDesk.form.error`, { message: problem.message })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t(`caseDesk.form.cancel`)}
            </Button>
            <Button type="submit" loading={busy} disabled={busy}>
              {t(`caseDesk.form.submit`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
