import { Anchor, Badge, Button, Center, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import type { ArticleDetailsFragment, Language } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { ArticleFiles } from './ArticleFiles';
import { ArticleHtml } from './ArticleHtml';
import { ArticleTextForm, Missing } from './ArticleTextForm';
import { ArticleQuery, NewsDeskMeQuery, SaveTranslationMutation } from './documents';
import { LinksPanel } from './LinksPanel';
import { PublicationPanel } from './PublicationPanel';
import { ConflictAlert, ProblemAlert, useSubmission } from './submission';
import { articleLanguages, articleStatusColor, editorRoles } from './vocabulary';

/** How often a scheduled article whose moment has come is asked for again (the job publishes it within a minute). */
const scheduledPoll = 3_000;

/**
 * /console/news/:id — one article: its publication (schedule in Geneva time, publish, unpublish, archive), its
 * translations side by side (EN/FR/ES, the missing ones shown as missing), the editor of one language (`?edit=FR`,
 * Markdown with the API's preview), its links and its files (images, the report's PDF).
 */
export function ArticleEditorPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const client = useClient();
  const [params, setParams] = useSearchParams();
  const [{ data: me }] = useQuery({ query: NewsDeskMeQuery });
  const canEdit = editorRoles.includes(me?.me.role ?? '');
  const meId = me?.me.id ?? undefined;
  const [{ data, fetching, error }, refetch] = useQuery({ query: ArticleQuery, variables: { id } });
  const article = data?.node?.__typename === 'Article' ? (data.node as ArticleDetailsFragment) : null;

  const reload = useCallback(async () => {
    const result = await client.query(ArticleQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
    const node = result.data?.node;
    return node?.__typename === 'Article' ? (node as ArticleDetailsFragment).version : undefined;
  }, [client, id]);

  // A scheduled article whose moment has passed: asked for again until the job has published it.
  const due = article?.status === 'SCHEDULED' && !!article.publishAt;
  useEffect(() => {
    if (!due) {
      return;
    }
    const timer = window.setInterval(() => {
      if (article?.publishAt && new Date(article.publishAt).getTime() <= Date.now()) {
        refetch({ requestPolicy: 'network-only' });
      }
    }, scheduledPoll);
    return () => window.clearInterval(timer);
  }, [due, article?.publishAt, refetch]);

  const editParam = params.get('edit');
  const editing = (articleLanguages as string[]).includes(editParam ?? '') ? (editParam as Language) : null;
  const setEditing = (language: Language | null) => {
    const next = new URLSearchParams(params);
    if (language) next.set('edit', language);
    else next.delete('edit');
    setParams(next);
  };

  if (fetching && !article) {
    return (
      <Center py="xl">
        <Loader aria-label={t('newsDesk.editor.loading')} />
      </Center>
    );
  }
  if (!article) {
    return (
      <Stack>
        <Title order={1}>{t('newsDesk.editor.notFoundTitle')}</Title>
        <Text role="alert">{error ? (error.graphQLErrors[0]?.message ?? error.message) : t('newsDesk.editor.notFound')}</Text>
        <Anchor component={Link} to="/news">
          {t('newsDesk.editor.back')}
        </Anchor>
      </Stack>
    );
  }

  const original = article.translations.find((tr) => tr.language === article.originalLanguage) ?? article.translations[0];
  const missing = articleLanguages.filter((l) => !article.languages.includes(l));

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/news">
        {t('newsDesk.editor.back')}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{original?.title}</Title>
        <Group gap="xs">
          <Badge color={articleStatusColor[article.status]} data-testid="article-status">
            {t(`newsDesk.status.${article.status}`)}
          </Badge>
          <Badge variant="outline" color="gray.8">
            {t(`newsDesk.kind.${article.kind}`)}
          </Badge>
          <Badge variant="outline" color="gray.8">
            {t(`clearance.${article.confidentiality}`)}
          </Badge>
          <Text size="sm" data-testid="article-version">
            {t('newsDesk.editor.version', { version: article.version, when: format.dateTime(article.updatedAt) })}
          </Text>
        </Group>
      </Stack>

      <PublicationPanel article={article} canEdit={canEdit} meId={meId} reload={reload} />

      <Paper withBorder p="md" component="section" aria-labelledby="translations-heading">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="translations-heading">
            {t('newsDesk.translations.title')}
          </Title>
          <Text size="sm" data-testid="missing-translations">
            {missing.length === 0
              ? t('newsDesk.translations.complete')
              : t('newsDesk.translations.missing', { languages: missing.map((l) => t(`newsDesk.language.${l}`)).join(', ') })}
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="translations">
          {articleLanguages.map((language) => {
            const text = article.translations.find((tr) => tr.language === language);
            return (
              <Stack key={language} gap="xs" data-testid={`translation-${language}`} lang={language.toLowerCase()}>
                <Group justify="space-between">
                  <Title order={3} size="h5">
                    {t(`newsDesk.languageName.${language}`)}
                  </Title>
                  {language === article.originalLanguage ? (
                    <Badge color="blue.9">{t('newsDesk.translations.original')}</Badge>
                  ) : text ? (
                    <Badge color="#237032">{t('newsDesk.translations.present')}</Badge>
                  ) : (
                    <Badge color="#9c3d00">{t('newsDesk.translations.missingBadge')}</Badge>
                  )}
                </Group>
                {text ? (
                  <>
                    <Text fw={600}>{text.title}</Text>
                    {text.summary && <Text size="sm">{text.summary}</Text>}
                    <ArticleHtml html={text.bodyHtml} />
                  </>
                ) : (
                  <Missing>{t('newsDesk.translations.missingIn', { language: t(`newsDesk.language.${language}`) })}</Missing>
                )}
                {canEdit && article.status !== 'ARCHIVED' && (
                  <Button variant="default" size="xs" onClick={() => setEditing(language)}>
                    {text
                      ? t('newsDesk.translations.edit', { language: t(`newsDesk.language.${language}`) })
                      : t('newsDesk.translations.add', { language: t(`newsDesk.language.${language}`) })}
                  </Button>
                )}
              </Stack>
            );
          })}
        </SimpleGrid>
      </Paper>

      {canEdit && editing && article.status !== 'ARCHIVED' && (
        <TranslationEditor key={`${article.id}-${editing}`} article={article} language={editing} meId={meId} reload={reload} onLanguage={setEditing} />
      )}

      <LinksPanel article={article} canEdit={canEdit} meId={meId} reload={reload} />

      <ArticleFiles articleId={article.id} />
    </Stack>
  );
}

/** The editor of one language: Markdown with the API's preview beside it, the original shown for reference. */
function TranslationEditor({
  article,
  language,
  meId,
  reload,
  onLanguage,
}: {
  article: ArticleDetailsFragment;
  language: Language;
  meId?: string;
  reload: () => Promise<number | undefined>;
  onLanguage: (language: Language | null) => void;
}) {
  const { t } = useTranslation();
  const [, save] = useMutation(SaveTranslationMutation);
  const { busy, problem, submit, setProblem } = useSubmission();
  const [lastValues, setLastValues] = useState<{ title: string; summary: string; slug: string; body: string } | null>(null);
  const existing = article.translations.find((tr) => tr.language === language);

  const send = async (values: { title: string; summary: string; slug: string; body: string }, version: number) => {
    setLastValues(values);
    const { problem: found, data } = await submit(
      (clientMutationId) =>
        save({
          input: {
            articleId: article.id,
            expectedVersion: version,
            clientMutationId,
            language,
            title: values.title,
            summary: values.summary.trim() || null,
            body: values.body,
            slug: values.slug.trim() || null,
          },
        }),
      version,
    );
    if (data) {
      onLanguage(null);
    }
    return found;
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="editor-heading" data-testid="translation-editor">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="editor-heading">
          {t('newsDesk.editor.editing', { language: t(`newsDesk.language.${language}`) })}
        </Title>
        <SegmentedControl
          value={language}
          onChange={(value) => onLanguage(value as Language)}
          data={articleLanguages.map((l) => ({ value: l, label: t(`newsDesk.languageName.${l}`) }))}
          aria-label={t('newsDesk.editor.language')}
        />
      </Group>
      <ArticleTextForm
        idPrefix="translation"
        language={language}
        initial={{ title: existing?.title ?? '', summary: existing?.summary ?? '', slug: existing?.slug ?? '', body: existing?.body ?? '' }}
        submitLabel={t('newsDesk.editor.save')}
        busy={busy}
        onSubmit={(values) => send(values, article.version)}
        footer={
          <>
            {problem?.kind === 'conflict' && (
              <ConflictAlert
                problem={problem}
                meId={meId}
                busy={busy}
                onReapply={() =>
                  void reload().then(async (version) => {
                    if (version !== undefined && lastValues) {
                      setProblem(null);
                      await send(lastValues, version);
                    }
                  })
                }
              />
            )}
            <ProblemAlert problem={problem?.kind === 'validation' && ['title', 'summary', 'slug', 'body'].includes(problem.field) ? null : problem} />
          </>
        }
      />
      <Group justify="flex-end" mt="xs">
        <Button variant="subtle" onClick={() => onLanguage(null)}>
          {t('newsDesk.form.cancel')}
        </Button>
      </Group>
    </Paper>
  );
}
