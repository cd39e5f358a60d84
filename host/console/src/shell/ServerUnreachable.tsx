import { Alert, Button, Container } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ServerUnreachable() {
  const { t } = useTranslation();
  return (
    <Container component="main" size="sm" py="xl">
      <Alert color="red" title={t('errors.title')} role="alert">
        {t('errors.network')}
      </Alert>
      <Button mt="md" onClick={() => window.location.reload()}>
        {t('errors.reload')}
      </Button>
    </Container>
  );
}
