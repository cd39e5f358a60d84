import '@mantine/dates/styles.css';
import './i18n';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { ArticleEditorPage } from './ArticleEditorPage';
import { ArticleList } from './ArticleList';
import { NewArticlePage } from './NewArticlePage';

/**
 * /console/news/* — news and publications: the article list (filters and page in the URL), a new article, and an
 * article's page (publication, translations side by side, the Markdown editor with the API's preview, links).
 * Its labels are in src/news/i18n/ (added to i18next when this chunk loads).
 */
export default function NewsPage() {
  return (
    <Routes>
      <Route index element={<ArticleList />} />
      <Route path="new" element={<NewArticlePage />} />
      <Route path=":id" element={<ArticleEditorPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
