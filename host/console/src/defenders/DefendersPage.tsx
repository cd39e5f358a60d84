import '@mantine/dates/styles.css';
import './i18n';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { DefenderList } from './DefenderList';
import { DefenderProfilePage } from './DefenderProfilePage';
import { OrganisationList } from './OrganisationList';

/**
 * /console/defenders/* — defenders and organisations: the list (filters and page in the URL), the profile and its
 * forms, the organisations. Its labels are in src/defenders/i18n/ (added to i18next when this chunk loads).
 */
export default function DefendersPage() {
  return (
    <Routes>
      <Route index element={<DefenderList />} />
      <Route path="organisations" element={<OrganisationList />} />
      <Route path=":id" element={<DefenderProfilePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
