import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

/** The area's two screens: monthly reports (/reports) and digests (/digests). */
export function AreaNav() {
  const { t } = useTranslation('reports');
  const { pathname } = useLocation();
  const digests = pathname.startsWith('/digests');
  return (
    <Group component="nav" aria-label={t('tabs.label')} gap="xs" mb="md">
      <Button component={Link} to="/reports" variant={digests ? 'default' : 'filled'} aria-current={digests ? undefined : 'page'} size="sm">
        {t('tabs.reports')}
      </Button>
      <Button component={Link} to="/digests" variant={digests ? 'filled' : 'default'} aria-current={digests ? 'page' : undefined} size="sm">
        {t('tabs.digests')}
      </Button>
    </Group>
  );
}
