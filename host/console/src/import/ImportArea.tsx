import './i18n';
import '../files/i18n';
import { Route, Routes } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { ImportHome } from './ImportHome';
import { MappingPage } from './MappingPage';
import { RunPage } from './RunPage';

/**
 * /console/import/* — upload a file (tus, then createImport), map its columns with a preview of its first rows
 * (files/:id), run it dry then for real and follow its progress and errors (runs/:id); the past runs on the first
 * screen. Labels in src/import/i18n/ (namespace "import"); the upload's messages are the files panel's.
 */
export default function ImportArea() {
  return (
    <Routes>
      <Route index element={<ImportHome />} />
      <Route path="files/:id" element={<MappingPage />} />
      <Route path="runs/:id" element={<RunPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
