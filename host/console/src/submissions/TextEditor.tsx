import { Alert, Button, Group, Stack, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import type { OperationResult } from '@urql/core';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { formFieldOf, newClientMutationId, problemOf, type MutationProblem } from '../common/mutationErrors';
import type { SubmissionDetailsFragment } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { AttachSubmissionTextMutation, MarkSubmittedMutation, SubmissionDeskMeQuery } from './documents';
import { useReloadSubmission } from './forms';
import { wordCounter, wordLimitState } from './wordCount';

type Action = 'save' | 'submit';
type Problem = (MutationProblem & { action: Action }) | null;

const limitColor = { none: undefined, within: undefined, near: 'orange.9', over: 'red.9' } as const;

/**
 * The submission's text with its word count as the API counts it (the separators come from the API) against the
 * limit the API gives (UPR: 2,815 words, 5,630 jointly), updated at every keystroke. "Save the text" sends
 * attachSubmissionText, "Mark submitted" markSubmitted — each with expectedVersion and its clientMutationId. The
 * API's VALIDATION lands on its field (the word count's on the text), a CONFLICT says who changed the submission and
 * offers to reload and send the same again.
 */
export function TextEditor({ submission: s, canWrite }: { submission: SubmissionDetailsFragment; canWrite: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [{ data: me }] = useQuery({ query: SubmissionDeskMeQuery });
  const [, attach] = useMutation(AttachSubmissionTextMutation);
  const [, markSubmitted] = useMutation(MarkSubmittedMutation);
  const reload = useReloadSubmission(s.id);
  const [baseline, setBaseline] = useState(s.text ?? '');
  const [text, setText] = useState(s.text ?? '');
  const [submittedOn, setSubmittedOn] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ text?: string; submittedOn?: string }>({});
  const [problem, setProblem] = useState<Problem>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const ids = useRef<Record<Action, string>>({ save: newClientMutationId(), submit: newClientMutationId() });

  const count = useMemo(() => wordCounter(s.wordCountRule.separators), [s.wordCountRule.separators]);
  const words = count(text);
  const state = wordLimitState(words, s.wordLimit);
  const dirty = text !== baseline;

  const run = async (action: Action, version: number) => {
    if (busy) return;
    setBusy(action);
    setProblem(null);
    setErrors({});
    try {
      const input = { clientMutationId: ids.current[action], expectedVersion: version, submissionId: s.id };
      const result: OperationResult<unknown> =
        action === 'save' ? await attach({ input: { ...input, text } }) : await markSubmitted({ input: { ...input, submittedOn } });
      if (result.error) {
        const found = problemOf(result.error);
        if (found.kind === 'validation') {
          const field = formFieldOf(found.field);
          if (field === 'text' || field === 'wordCount') {
            const over = action === 'submit' && s.wordLimit != null && (s.wordCount ?? 0) > s.wordLimit;
            setErrors({
              text: over
                ? t('submissionDesk.editor.refusedOver', { count: format.number(s.wordCount ?? 0), limit: format.number(s.wordLimit ?? 0) })
                : found.message,
            });
            return;
          }
          if (field === 'submittedOn') {
            setErrors({ submittedOn: found.message });
            return;
          }
          setProblem({ kind: 'error', message: found.message, action });
          return;
        }
        setProblem(found.kind === 'conflict' ? { ...found, expectedVersion: version, action } : { ...found, action });
        return;
      }
      ids.current[action] = newClientMutationId();
      if (action === 'save') setBaseline(text);
      notifications.show({ message: t(action === 'save' ? 'submissionDesk.editor.saved' : 'submissionDesk.editor.submitted'), color: 'green.9', closeButtonProps: { 'aria-label': t('submissionDesk.form.close') } });
    } finally {
      setBusy(null);
    }
  };

  const reapply = async () => {
    if (!problem) return;
    const version = await reload();
    if (version !== undefined) await run(problem.action, version);
  };

  const who =
    problem?.kind === 'conflict' && problem.changedBy
      ? problem.changedBy === me?.me.id
        ? t('submissionDesk.form.conflictYou')
        : problem.changedBy
      : null;
  const when = problem?.kind === 'conflict' && problem.changedAt ? format.dateTime(problem.changedAt) : null;

  const countLine =
    s.wordLimit == null
      ? t('submissionDesk.editor.count', { count: words, formatted: format.number(words) })
      : t('submissionDesk.editor.countOfLimit', { count: words, formatted: format.number(words), limit: format.number(s.wordLimit) });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run('save', s.version);
      }}
    >
      <Stack gap="sm">
        <Text size="sm" data-testid="word-rule">
          {s.wordLimit == null
            ? t('submissionDesk.editor.noLimit')
            : t(s.coSignatories.length > 0 ? 'submissionDesk.editor.jointLimit' : 'submissionDesk.editor.singleLimit', {
                limit: format.number(s.wordLimit),
              })}
          {s.wordCount != null && ' ' + t('submissionDesk.editor.stored', { count: s.wordCount, formatted: format.number(s.wordCount) })}
        </Text>
        <Textarea
          label={t('submissionDesk.editor.text')}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            ids.current.save = newClientMutationId();
            if (errors.text) setErrors((x) => ({ ...x, text: undefined }));
          }}
          readOnly={!canWrite}
          autosize
          minRows={8}
          maxRows={24}
          error={errors.text}
          description={
            <Text component="span" size="sm" c={limitColor[state]} fw={state === 'over' ? 700 : undefined} data-testid="word-count" data-words={words} data-state={state}>
              {countLine}
              {state === 'over' && s.wordLimit != null && ' — ' + t('submissionDesk.editor.over', { over: format.number(words - s.wordLimit) })}
            </Text>
          }
        />
        <VisuallyHidden aria-live="polite">{state === 'over' ? t('submissionDesk.editor.overAnnounce') : ''}</VisuallyHidden>
        {canWrite && (
          <DateInput
            label={t('submissionDesk.editor.submittedOn')}
            description={t('submissionDesk.editor.submittedOnHint')}
            valueFormat="YYYY-MM-DD"
            clearable
            value={submittedOn}
            onChange={setSubmittedOn}
            error={errors.submittedOn}
            maw={320}
          />
        )}
        {problem?.kind === 'conflict' && (
          <Alert color="orange" variant="light" title={t('submissionDesk.form.conflictTitle')} role="alert" data-testid="conflict">
            <Stack gap="xs">
              <Text size="sm">
                {who && when
                  ? t('submissionDesk.form.conflictWho', { who, when, version: problem.currentVersion ?? '?', expected: problem.expectedVersion ?? '?' })
                  : t('submissionDesk.form.conflictWhoHidden', { version: problem.currentVersion ?? '?', expected: problem.expectedVersion ?? '?' })}
              </Text>
              <Group>
                <Button size="xs" onClick={() => void reapply()} loading={busy !== null} disabled={busy !== null}>
                  {t('submissionDesk.form.reapply')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {problem?.kind === 'error' && (
          <Alert color="red" variant="light" role="alert">
            {t('submissionDesk.form.error', { message: problem.message })}
          </Alert>
        )}
        {canWrite && (
          <Group>
            <Button type="submit" loading={busy === 'save'} disabled={busy !== null || !dirty}>
              {t('submissionDesk.editor.save')}
            </Button>
            <Button variant="default" onClick={() => void run('submit', s.version)} loading={busy === 'submit'} disabled={busy !== null || dirty}>
              {t('submissionDesk.editor.markSubmitted')}
            </Button>
            {dirty && (
              <Text size="sm" data-testid="unsaved">
                {t('submissionDesk.editor.unsaved')}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </form>
  );
}
