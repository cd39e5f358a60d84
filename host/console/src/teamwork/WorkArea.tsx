import '@mantine/dates/styles.css';
import { Tabs, Title, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import './i18n';
import { MyWorkPage } from './MyWorkPage';
import { TeamTasksPage } from './TeamTasksPage';

/**
 * /console/work — "My work" (my open tasks, my reminders, my records, my unread mentions) and /console/work/team, the
 * team's open tasks for coordinators. One tab per sub-route, so the tab is in the URL.
 */
export default function WorkArea() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const tab = location.pathname.startsWith('/work/team') ? 'team' : 'mine';
  return (
    <Stack gap="lg">
      <Title order={1}>{t('teamwork.work.title')}</Title>
      <Tabs value={tab} onChange={(value) => void navigate(value === 'team' ? '/work/team' : '/work')} keepMounted={false}>
        <Tabs.List aria-label={t('teamwork.work.tabs')}>
          <Tabs.Tab value="mine">{t('teamwork.work.mine')}</Tabs.Tab>
          <Tabs.Tab value="team">{t('teamwork.work.team')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mine" pt="md">
          {tab === 'mine' && <WorkRoutes />}
        </Tabs.Panel>
        <Tabs.Panel value="team" pt="md">
          {tab === 'team' && <WorkRoutes />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function WorkRoutes() {
  return (
    <Routes>
      <Route index element={<MyWorkPage />} />
      <Route path="team" element={<TeamTasksPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
