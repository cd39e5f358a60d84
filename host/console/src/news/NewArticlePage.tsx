import { Anchor, Paper, Select, SimpleGrid, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import type { ArticleKind, Confidentiality, Language } from '../gql/graphql';
import { ArticleTextForm } from './ArticleTextForm';
import { DraftArticleMutation, NewsDeskMeQuery } from './documents';
import { ProblemAlert, useSubmission } from './submission';
import { articleKinds, articleLanguages } from './vocabulary';

const levels: Confidentiality[] = ['PUBLIC', 'NETWORK', 'STAFF', 'RESTRICTED'];

/** /console/news/new — a new article in its original language (draftArticle), then its page. */
export function NewArticlePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [{ data: me }] = useQuery({ query: NewsDeskMeQuery });
  const [, draft] = useMutation(DraftArticleMutation);
  const { busy, problem, submit } = useSubmission();
  const [kind, setKind] = useState<ArticleKind>('PRESS_RELEASE');
  const [language, setLanguage] = useState<Language>('EN');
  const [confidentiality, setConfidentiality] = useState<Confidentiality>('PUBLIC');
  const clearance = me?.me.clearance;
  const writable = clearance ? levels.slice(0, levels.indexOf(clearance) + 1) : levels.slice(0, 1);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/news">
        {t('newsDesk.editor.back')}
      </Anchor>
      <Title order={1}>{t('newsDesk.new.title')}</Title>
      <Paper withBorder p="md">
        <ArticleTextForm
          idPrefix="new"
          language={language}
          initial={{ title: '', summary: '', slug: '', body: '' }}
          submitLabel={t('newsDesk.new.submit')}
          busy={busy}
          extraFields={
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label={t('newsDesk.new.kind')}
                data={articleKinds.map((k) => ({ value: k, label: t(`newsDesk.kind.${k}`) }))}
                value={kind}
                onChange={(v) => v && setKind(v as ArticleKind)}
                allowDeselect={false}
              />
              <Select
                label={t('newsDesk.new.language')}
                data={articleLanguages.map((l) => ({ value: l, label: t(`newsDesk.languageName.${l}`) }))}
                value={language}
                onChange={(v) => v && setLanguage(v as Language)}
                allowDeselect={false}
              />
              <Select
                label={t('newsDesk.new.confidentiality')}
                data={writable.map((l) => ({ value: l, label: t(`clearance.${l}`) }))}
                value={confidentiality}
                onChange={(v) => v && setConfidentiality(v as Confidentiality)}
                allowDeselect={false}
              />
            </SimpleGrid>
          }
          onSubmit={async (values) => {
            const { data, problem: found } = await submit((clientMutationId) =>
              draft({
                input: {
                  clientMutationId,
                  kind,
                  language,
                  confidentiality,
                  title: values.title,
                  summary: values.summary.trim() || null,
                  body: values.body,
                  slug: values.slug.trim() || null,
                },
              }),
            );
            const id = data?.draftArticle.article.id;
            if (id) {
              void navigate(`/news/${encodeURIComponent(id)}`);
            }
            return found;
          }}
          footer={<ProblemAlert problem={problem?.kind === 'validation' && ['title', 'summary', 'slug', 'body'].includes(problem.field) ? null : problem} />}
        />
      </Paper>
    </Stack>
  );
}
