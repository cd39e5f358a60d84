import { Paper, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { FilesPanel } from '../files/FilesPanel';
import { graphql } from '../gql';
import { editorRoles } from './vocabulary';

/** The article's files (those the person may see), apart from the article's details. */
export const ArticleFilesQuery = graphql(`
  query ArticleFiles($id: ID!) {
    node(id: $id) {
      id
      ... on Article {
        files {
          ...FileRow
        }
      }
    }
  }
`);

/**
 * The "Files" section of the article page: its images and the report's PDF, uploaded and re-classified by editors (the API's
 * rule for the article's writes); each file has its own level, so a public article's file is public only when the file is.
 */
export function ArticleFiles({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const [{ data }, reexecute] = useQuery({ query: ArticleFilesQuery, variables: { id: articleId } });
  const reload = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const node = data?.node;
  if (!node || node.__typename !== 'Article') {
    return null;
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="section-article-files" data-testid="article-files">
      <Title order={2} size="h4" id="section-article-files" mb="xs">
        {t('newsDesk.files.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('newsDesk.files.intro')}
      </Text>
      <FilesPanel
        recordId={node.id}
        files={node.files}
        title={t('newsDesk.files.panel')}
        onChanged={reload}
        writerRoles={editorRoles}
        testId="article-files-panel"
      />
    </Paper>
  );
}
