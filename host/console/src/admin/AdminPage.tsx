import './i18n';
import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { NotFoundPage } from '../shell/NotFoundPage';
import { AccountsTab } from './AccountsTab';
import { ApiKeysTab } from './ApiKeysTab';
import { AuditTab } from './AuditTab';
import { HealthTab } from './HealthTab';
import { JobsTab } from './JobsTab';
import { WebhooksTab } from './WebhooksTab';

const tabs = ['accounts', 'keys', 'webhooks', 'jobs', 'audit', 'health'] as const;

/**
 * /console/admin/* — the Administration area (ADMIN): one tab per sub-route, so that a tab (and its filters and page)
 * is a URL. The navigation shows the area to ADMIN only, but what protects is the API: every document here is
 * ADMIN-only there, and a person below ADMIN who opens the URL sees the API's FORBIDDEN.
 */
export default function AdminPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const current = tabs.find((tab) => location.pathname.startsWith(`/admin/${tab}`)) ?? null;
  return (
    <Stack gap="md">
      <Title order={1}>{t('admin.title')}</Title>
      <Tabs value={current} onChange={(tab) => tab && void navigate(`/admin/${tab}`)} keepMounted={false}>
        <Tabs.List aria-label={t('admin.tabs')}>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`admin.tab.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Panel key={tab} value={tab} pt="md">
            {current === tab && <AdminRoutes />}
          </Tabs.Panel>
        ))}
      </Tabs>
      {current === null && <AdminRoutes />}
    </Stack>
  );
}

function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="accounts" replace />} />
      <Route path="accounts" element={<AccountsTab />} />
      <Route path="keys" element={<ApiKeysTab />} />
      <Route path="webhooks" element={<WebhooksTab />} />
      <Route path="jobs" element={<JobsTab />} />
      <Route path="audit" element={<AuditTab />} />
      <Route path="health" element={<HealthTab />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
