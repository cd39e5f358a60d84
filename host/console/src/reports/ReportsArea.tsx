import '@mantine/dates/styles.css';
import '../cases/i18n';
import './i18n';
import { Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { DigestPage } from './DigestPage';
import { DigestsPage } from './DigestsPage';
import { ReportList } from './ReportList';
import { ReportPage } from './ReportPage';
import { DefinitionPage } from './scheduled/DefinitionPage';
import { DefinitionsPage } from './scheduled/DefinitionsPage';

/**
 * /console/reports/* and /console/digests/* — the monthly reports (list, a report with its charts, its CSV and HTML),
 * the scheduled reports staff define (/reports/definitions: the list and the editor, /reports/definitions/new with a
 * view's draft, /reports/definitions/:id with its next runs and runs) and the digests (subscriptions and their
 * forms, the digests made). Labels in src/reports/i18n/ (namespace "reports"); the forms reuse the case desk's form
 * modal and its labels (src/cases/i18n).
 */
export default function ReportsArea() {
  const { pathname } = useLocation();
  return pathname.startsWith('/digests') ? (
    <Routes>
      <Route index element={<DigestsPage />} />
      <Route path=":id" element={<DigestPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  ) : (
    <Routes>
      <Route index element={<ReportList />} />
      <Route path="definitions" element={<DefinitionsPage />} />
      <Route path="definitions/new" element={<DefinitionsPage />} />
      <Route path="definitions/:id" element={<DefinitionPage />} />
      <Route path=":id" element={<ReportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
