import { Alert, Box, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { formFieldOf, type MutationProblem } from '../common/mutationErrors';
import { PreviewArticleBodyQuery } from './documents';
import { ArticleHtml } from './ArticleHtml';

export interface ArticleText extends Record<string, unknown> {
  title: string;
  summary: string;
  slug: string;
  body: string;
}

/** Milliseconds without typing before the preview is asked for. */
const previewDelay = 400;

/**
 * The preview of a Markdown body: the sanitised HTML the API answers (previewArticleBody renders it as the body
 * will be stored), asked for once typing pauses.
 */
export function BodyPreview({ markdown, headingId }: { markdown: string; headingId: string }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(markdown.trim(), previewDelay);
  const [{ data, fetching, error }] = useQuery({
    query: PreviewArticleBodyQuery,
    variables: { markdown: debounced },
    pause: debounced.length === 0,
  });
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={headingId} aria-busy={fetching}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id={headingId}>
          {t('newsDesk.editor.preview')}
        </Title>
        {fetching && <Loader size="xs" aria-label={t('newsDesk.editor.previewLoading')} />}
      </Group>
      {debounced.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('newsDesk.editor.previewEmpty')}
        </Text>
      ) : error ? (
        <Text size="sm" role="alert" c="red.9">
          {error.graphQLErrors[0]?.message ?? error.message}
        </Text>
      ) : (
        <ArticleHtml html={data?.previewArticleBody ?? ''} testId="article-preview" />
      )}
    </Paper>
  );
}

/**
 * Title, summary, slug and Markdown body of one language, with the live preview beside the body. VALIDATION lands
 * on its field; any other problem is the caller's to show (`problem`, `footer`).
 */
export function ArticleTextForm({
  initial,
  language,
  extraFields,
  submitLabel,
  busy,
  onSubmit,
  footer,
  idPrefix,
}: {
  initial: ArticleText;
  language: string;
  extraFields?: ReactNode;
  submitLabel: string;
  busy: boolean;
  onSubmit: (values: ArticleText) => Promise<MutationProblem | undefined>;
  footer?: ReactNode;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const form = useForm<ArticleText>({
    mode: 'controlled',
    initialValues: initial,
    validate: {
      title: (v) => (v.trim() ? null : t('newsDesk.form.required')),
      body: (v) => (v.trim() ? null : t('newsDesk.form.required')),
    },
  });

  const submit = async (values: ArticleText) => {
    const problem = await onSubmit(values);
    if (problem?.kind === 'validation') {
      const field = formFieldOf(problem.field);
      if (field in form.getValues()) {
        form.setFieldError(field, problem.message);
      }
    }
  };

  return (
    <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate lang={language.toLowerCase()}>
      <Stack gap="sm">
        {extraFields}
        <TextInput label={t('newsDesk.editor.title')} required key={form.key('title')} {...form.getInputProps('title')} />
        <Textarea label={t('newsDesk.editor.summary')} autosize minRows={2} key={form.key('summary')} {...form.getInputProps('summary')} />
        <TextInput
          label={t('newsDesk.editor.slug')}
          description={t('newsDesk.editor.slugHelp')}
          key={form.key('slug')}
          {...form.getInputProps('slug')}
        />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Textarea
            label={t('newsDesk.editor.body')}
            description={t('newsDesk.editor.bodyHelp')}
            required
            autosize
            minRows={12}
            maxRows={30}
            styles={{ input: { fontFamily: 'monospace' } }}
            key={form.key('body')}
            {...form.getInputProps('body')}
          />
          <BodyPreview markdown={form.getValues().body} headingId={`${idPrefix}-preview`} />
        </SimpleGrid>
        {footer}
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={busy}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A small "nothing here" for an empty translation column. */
export function Missing({ children }: { children: ReactNode }) {
  return (
    <Alert color="orange" variant="light" p="xs">
      <Box fz="sm">{children}</Box>
    </Alert>
  );
}
