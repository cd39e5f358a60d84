import { Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** /console/cases — the case desk (list with filters in the URL, case page, forms) is built in this folder. */
export default function CasesPage() {
  const { t } = useTranslation();
  return <Title order={1}>{t('cases.title')}</Title>;
}
