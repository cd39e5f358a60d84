import '@mantine/dates/styles.css';
import './i18n';
import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { CallList } from './CallList';
import { CallPage } from './CallPage';
import { SubmissionList } from './SubmissionList';
import { SubmissionPage } from './SubmissionPage';

/**
 * /console/submissions/* — submissions to UN mechanisms (/submissions, /submissions/:id) and calls for input
 * (/submissions/calls, /submissions/calls/:id): one area, its tab in the URL. Labels in src/submissions/i18n/.
 */
export default function SubmissionsPage() {
  return (
    <Routes>
      <Route index element={<SubmissionDesk tab="submissions" />} />
      <Route path="calls" element={<SubmissionDesk tab="calls" />} />
      <Route path="calls/:id" element={<CallPage />} />
      <Route path=":id" element={<SubmissionPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function SubmissionDesk({ tab }: { tab: 'submissions' | 'calls' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack gap="md">
      <Title order={1}>{t('submissionDesk.title')}</Title>
      <Tabs
        value={tab}
        onChange={(value) => void navigate(value === 'calls' ? '/submissions/calls' : '/submissions')}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="submissions">{t('submissionDesk.tabs.submissions')}</Tabs.Tab>
          <Tabs.Tab value="calls">{t('submissionDesk.tabs.calls')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="submissions" pt="md">
          <SubmissionList />
        </Tabs.Panel>
        <Tabs.Panel value="calls" pt="md">
          <CallList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
