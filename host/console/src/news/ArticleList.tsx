import { Anchor, Badge, Button, Center, Group, Loader, MultiSelect, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import type { ArticleFilter, ArticleKind, ArticleStatus, Language } from '../gql/graphql';
import { useFormat } from '../i18n/format';
import { NewsDeskMeQuery, ArticleListQuery } from './documents';
import { formatGeneva } from './geneva';
import { articleKinds, articleLanguages, articleStatusColor, articleStatuses, editorRoles } from './vocabulary';
import { CursorPager } from '../common/CursorPager';

const pageSize = 25;

/**
 * The view in the URL: status (repeated), lang, kind (repeated), q, and `after` — the stack of cursors of the pages
 * before this one (the last one is this page's `after`). A shared or reloaded link shows the same page.
 */
function readView(params: URLSearchParams) {
  const language = params.get('lang');
  return {
    statuses: params.getAll('status').filter((s): s is ArticleStatus => (articleStatuses as string[]).includes(s)),
    kinds: params.getAll('kind').filter((s): s is ArticleKind => (articleKinds as string[]).includes(s)),
    language: (articleLanguages as string[]).includes(language ?? '') ? (language as Language) : null,
    text: params.get('q') ?? '',
    cursors: params.getAll('after'),
  };
}
type View = ReturnType<typeof readView>;

function writeView(view: View): URLSearchParams {
  const params = new URLSearchParams();
  view.statuses.forEach((s) => params.append('status', s));
  view.kinds.forEach((s) => params.append('kind', s));
  if (view.language) params.set('lang', view.language);
  if (view.text) params.set('q', view.text);
  view.cursors.forEach((c) => params.append('after', c));
  return params;
}

export function ArticleList() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const [text, setText] = useState(view.text);
  const [{ data: me }] = useQuery({ query: NewsDeskMeQuery });
  const canEdit = editorRoles.includes(me?.me.role ?? '');

  const filter: ArticleFilter = {
    statuses: view.statuses.length ? view.statuses : null,
    kinds: view.kinds.length ? view.kinds : null,
    language: view.language,
    text: view.text || null,
  };
  const after = view.cursors.at(-1) ?? null;
  const [{ data, fetching, error }] = useQuery({ query: ArticleListQuery, variables: { filter, first: pageSize, after } });

  /** A change of filter starts again from the first page. */
  const change = (next: Partial<View>) => setParams(writeView({ ...view, ...next, cursors: next.cursors ?? [] }));
  const connection = data?.articles;
  const page = view.cursors.length + 1;

  const submitText = (e: FormEvent) => {
    e.preventDefault();
    change({ text: text.trim() });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('newsDesk.list.title')}</Title>
        {canEdit && (
          <Button component={Link} to="/news/new">
            {t('newsDesk.list.new')}
          </Button>
        )}
      </Group>
      <Paper withBorder p="md" component="section" aria-labelledby="article-filters">
        <Title order={2} size="h4" id="article-filters" mb="sm">
          {t('newsDesk.list.filters')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <MultiSelect
            label={t('newsDesk.list.statuses')}
            data={articleStatuses.map((s) => ({ value: s, label: t(`newsDesk.status.${s}`) }))}
            value={view.statuses}
            onChange={(value) => change({ statuses: value as ArticleStatus[] })}
            searchable
            clearable
          />
          <Select
            label={t('newsDesk.list.language')}
            data={articleLanguages.map((l) => ({ value: l, label: t(`newsDesk.languageName.${l}`) }))}
            value={view.language}
            onChange={(value) => change({ language: (value as Language | null) ?? null })}
            placeholder={t('newsDesk.list.anyLanguage')}
            clearable
          />
          <MultiSelect
            label={t('newsDesk.list.kinds')}
            data={articleKinds.map((k) => ({ value: k, label: t(`newsDesk.kind.${k}`) }))}
            value={view.kinds}
            onChange={(value) => change({ kinds: value as ArticleKind[] })}
            searchable
            clearable
          />
        </SimpleGrid>
        <form onSubmit={submitText} role="search">
          <Group align="flex-end" mt="sm">
            <TextInput
              label={t('newsDesk.list.text')}
              description={view.language ? t('newsDesk.list.textIn', { language: t(`newsDesk.language.${view.language}`) }) : undefined}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: 1 }}
              name="q"
            />
            <Button type="submit" variant="default">
              {t('newsDesk.list.search')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => {
                setText('');
                setParams(new URLSearchParams());
              }}
            >
              {t('newsDesk.list.clear')}
            </Button>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between" aria-live="polite">
        <Text size="sm" data-testid="articles-count">
          {connection ? t('newsDesk.list.count', { count: connection.totalCount, formatted: format.number(connection.totalCount) }) : ''}
        </Text>
        <Text size="sm">{t('newsDesk.list.page', { page })}</Text>
      </Group>

      {fetching && !connection ? (
        <Center py="xl">
          <Loader aria-label={t('newsDesk.list.loading')} />
        </Center>
      ) : error && !connection ? (
        <Text role="alert">{error.graphQLErrors[0]?.message ?? error.message}</Text>
      ) : connection && connection.nodes.length === 0 ? (
        <Text py="lg" data-testid="articles-empty">
          {t('newsDesk.list.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover data-testid="articles-table">
            <Table.Caption>{t('newsDesk.list.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('newsDesk.column.title')}</Table.Th>
                <Table.Th scope="col">{t('newsDesk.column.kind')}</Table.Th>
                <Table.Th scope="col">{t('newsDesk.column.status')}</Table.Th>
                <Table.Th scope="col">{t('newsDesk.column.languages')}</Table.Th>
                <Table.Th scope="col">{t('newsDesk.column.when')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection?.nodes.map((a) => (
                <Table.Tr key={a.id} data-article-id={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/news/${encodeURIComponent(a.id)}`}>
                      {a.title}
                    </Anchor>
                    {a.fallback && (
                      <Text size="xs" c="dimmed" component="span" ml="xs">
                        {t('newsDesk.list.fallback', { language: t(`newsDesk.language.${a.language}`) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`newsDesk.kind.${a.kind}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={articleStatusColor[a.status]}>{t(`newsDesk.status.${a.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {articleLanguages.map((l) =>
                        a.languages.includes(l) ? (
                          <Badge key={l} variant="filled" color="blue.9" title={t(`newsDesk.languageName.${l}`)}>
                            {l}
                          </Badge>
                        ) : (
                          <Badge key={l} variant="outline" color="gray.8" title={t('newsDesk.translations.missingIn', { language: t(`newsDesk.language.${l}`) })}>
                            <s>{l}</s>
                          </Badge>
                        ),
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {a.status === 'SCHEDULED' && a.publishAt
                      ? t('newsDesk.list.scheduledFor', { when: formatGeneva(a.publishAt, format.locale) })
                      : a.publishedAt
                        ? format.dateTime(a.publishedAt)
                        : format.dateTime(a.updatedAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CursorPager cursors={view.cursors} pageInfo={connection?.pageInfo} onChange={(cursors) => change({ cursors })} previousLabel={t('newsDesk.list.previous')} nextLabel={t('newsDesk.list.next')} />
    </Stack>
  );
}
