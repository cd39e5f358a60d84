import { Anchor, Button, Group, List, MultiSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import type { ArticleDetailsFragment } from '../gql/graphql';
import { formFieldOf } from '../common/mutationErrors';
import { LinkableCasesQuery, LinkableDefendersQuery, LinkableSubmissionsQuery, TagArticleMutation } from './documents';
import { ConflictAlert, ProblemAlert, useSubmission } from './submission';

type Option = { value: string; label: string };

function merge(current: Option[], found: Option[]): Option[] {
  const seen = new Set(current.map((o) => o.value));
  return [...current, ...found.filter((o) => !seen.has(o.value))];
}

/** The linked cases, defenders and submissions (those the person may see), and for editors the form that changes them (tagArticle). */
export function LinksPanel({
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
  const [editing, setEditing] = useState(false);
  const defenderLabel = (d: { name?: string | null; pseudonym?: string | null }) => d.name ?? d.pseudonym ?? t('newsDesk.links.unnamed');

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="links-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="links-heading">
          {t('newsDesk.links.title')}
        </Title>
        {canEdit && article.status !== 'ARCHIVED' && !editing && (
          <Button variant="default" size="xs" onClick={() => setEditing(true)}>
            {t('newsDesk.links.change')}
          </Button>
        )}
      </Group>
      {editing ? (
        <LinksForm article={article} meId={meId} reload={reload} onDone={() => setEditing(false)} defenderLabel={defenderLabel} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="article-links">
          <Stack gap={4}>
            <Text fw={600}>{t('newsDesk.links.cases')}</Text>
            {article.cases.length === 0 ? (
              <Text size="sm" c="dimmed">{t('newsDesk.links.none')}</Text>
            ) : (
              <List size="sm">
                {article.cases.map((c) => (
                  <List.Item key={c.id}>
                    <Anchor component={Link} to={`/cases/${encodeURIComponent(c.id)}`}>
                      {c.reference}
                    </Anchor>{' '}
                    {c.title}
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
          <Stack gap={4}>
            <Text fw={600}>{t('newsDesk.links.defenders')}</Text>
            {article.defenders.length === 0 ? (
              <Text size="sm" c="dimmed">{t('newsDesk.links.none')}</Text>
            ) : (
              <List size="sm">
                {article.defenders.map((d) => (
                  <List.Item key={d.id}>
                    <Anchor component={Link} to={`/defenders/${encodeURIComponent(d.id)}`}>
                      {defenderLabel(d)}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
          <Stack gap={4}>
            <Text fw={600}>{t('newsDesk.links.submissions')}</Text>
            {article.submissions.length === 0 ? (
              <Text size="sm" c="dimmed">{t('newsDesk.links.none')}</Text>
            ) : (
              <List size="sm">
                {article.submissions.map((s) => (
                  <List.Item key={s.id}>
                    {t(`newsDesk.mechanism.${s.mechanism}`)} ·{' '}
                    <Anchor component={Link} to={`/submissions/${encodeURIComponent(s.id)}`}>
                      {s.title}
                    </Anchor>
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        </SimpleGrid>
      )}
    </Paper>
  );
}

function LinksForm({
  article,
  meId,
  reload,
  onDone,
  defenderLabel,
}: {
  article: ArticleDetailsFragment;
  meId?: string;
  reload: () => Promise<number | undefined>;
  onDone: () => void;
  defenderLabel: (d: { name?: string | null; pseudonym?: string | null }) => string;
}) {
  const { t } = useTranslation();
  const [caseIds, setCaseIds] = useState(article.cases.map((c) => c.id));
  const [defenderIds, setDefenderIds] = useState(article.defenders.map((d) => d.id));
  const [submissionIds, setSubmissionIds] = useState(article.submissions.map((s) => s.id));
  const [caseText, setCaseText] = useState('');
  const [defenderText, setDefenderText] = useState('');
  const [caseSearch] = useDebouncedValue(caseText.trim(), 300);
  const [defenderSearch] = useDebouncedValue(defenderText.trim(), 300);
  const [{ data: cases }] = useQuery({ query: LinkableCasesQuery, variables: { text: caseSearch || null } });
  const [{ data: defenders }] = useQuery({ query: LinkableDefendersQuery, variables: { text: defenderSearch || null } });
  const [{ data: submissions }] = useQuery({ query: LinkableSubmissionsQuery });
  const [, tag] = useMutation(TagArticleMutation);
  const { busy, problem, submit, setProblem } = useSubmission();
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);

  const caseOptions = useMemo(
    () => merge(article.cases.map((c) => ({ value: c.id, label: `${c.reference} · ${c.title}` })), (cases?.cases.nodes ?? []).map((c) => ({ value: c.id, label: `${c.reference} · ${c.title}` }))),
    [article.cases, cases],
  );
  const defenderOptions = useMemo(
    () => merge(article.defenders.map((d) => ({ value: d.id, label: defenderLabel(d) })), (defenders?.defenders.nodes ?? []).map((d) => ({ value: d.id, label: defenderLabel(d) }))),
    [article.defenders, defenders, defenderLabel],
  );
  const submissionOptions = useMemo(
    () => merge(article.submissions.map((s) => ({ value: s.id, label: `${t(`newsDesk.mechanism.${s.mechanism}`)} · ${s.title}` })), (submissions?.submissions.nodes ?? []).map((s) => ({ value: s.id, label: `${t(`newsDesk.mechanism.${s.mechanism}`)} · ${s.title}` }))),
    [article.submissions, submissions, t],
  );

  const send = async (version: number) => {
    setFieldError(null);
    const { problem: found } = await submit(
      (clientMutationId) => tag({ input: { articleId: article.id, expectedVersion: version, clientMutationId, caseIds, defenderIds, submissionIds } }),
      version,
    );
    if (found?.kind === 'validation') {
      setFieldError({ field: formFieldOf(found.field), message: found.message });
      setProblem(null);
    } else if (!found) {
      onDone();
    }
  };
  const errorOf = (field: string) => (fieldError?.field === field ? fieldError.message : null);

  return (
    <Stack gap="sm">
      <MultiSelect
        label={t('newsDesk.links.cases')}
        data={caseOptions}
        value={caseIds}
        onChange={setCaseIds}
        searchable
        searchValue={caseText}
        onSearchChange={setCaseText}
        filter={({ options }) => options}
        error={errorOf('caseIds')}
        clearable
      />
      <MultiSelect
        label={t('newsDesk.links.defenders')}
        data={defenderOptions}
        value={defenderIds}
        onChange={setDefenderIds}
        searchable
        searchValue={defenderText}
        onSearchChange={setDefenderText}
        filter={({ options }) => options}
        error={errorOf('defenderIds')}
        clearable
      />
      <MultiSelect
        label={t('newsDesk.links.submissions')}
        data={submissionOptions}
        value={submissionIds}
        onChange={setSubmissionIds}
        searchable
        error={errorOf('submissionIds')}
        clearable
      />
      {problem?.kind === 'conflict' && (
        <ConflictAlert
          problem={problem}
          meId={meId}
          busy={busy}
          onReapply={() =>
            void reload().then((version) => {
              if (version !== undefined) {
                setProblem(null);
                return send(version);
              }
            })
          }
        />
      )}
      <ProblemAlert problem={problem} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('newsDesk.form.cancel')}
        </Button>
        <Button onClick={() => void send(article.version)} loading={busy} disabled={busy}>
          {t('newsDesk.links.save')}
        </Button>
      </Group>
    </Stack>
  );
}
