import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** /console/ — the dashboard (KPIs, charts, map, the next 30 days) is built in this folder; its heading for now. */
export default function DashboardPage() {
  const { t } = useTranslation();
  return <Title order={1}>{t('dashboard.title')}</Title>;
}
