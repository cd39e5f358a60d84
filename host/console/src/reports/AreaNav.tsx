import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

/** The area's screens: monthly reports (/reports), scheduled reports (/reports/definitions) and digests (/digests). */
export function AreaNav() {
  const { t } = useTranslation('reports');
  const { pathname } = useLocation();
  const current = pathname.startsWith('/digests') ? 'digests' : pathname.startsWith('/reports/definitions') ? 'scheduled' : 'reports';
  const tab = (key: string, to: string) => (
    <Button component={Link} to={to} variant={current === key ? 'filled' : 'default'} aria-current={current === key ? 'page' : undefined} size="sm">
      {t(`tabs.${key}`)}
    </Button>
  );
  return (
    <Group component="nav" aria-label={t('tabs.label')} gap="xs" mb="md">
      {tab('reports', '/reports')}
      {tab('scheduled', '/reports/definitions')}
      {tab('digests', '/digests')}
    </Group>
  );
}
