import '@mantine/dates/styles.css';
import './i18n';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { CaseDeskPage } from './CaseDeskPage';
import { CaseList } from './CaseList';

/**
 * /console/cases/* — the case desk: the list (filters, order and page in the URL), the case page and its forms.
 * Its labels are in src/cases/i18n/ (added to i18next when this chunk loads).
 */
export default function CasesPage() {
  return (
    <Routes>
      <Route index element={<CaseList />} />
      <Route path=":id" element={<CaseDeskPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
