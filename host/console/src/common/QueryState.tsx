import { Alert, Button, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a screen shows of an API answer while it comes: the error with "try again" when there is nothing to show, a
 * loader while the first answer is on its way, then what the data shows (`children`, given the data once it is there;
 * an answer refreshed in the background keeps showing the data it had).
 */
export function QueryState<T>({
  data,
  fetching,
  error,
  retry,
  errorTitle,
  retryLabel,
  children,
}: {
  data: T | null | undefined;
  fetching: boolean;
  error: unknown;
  retry: () => void;
  errorTitle: string;
  retryLabel: string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (error && !data) {
    return (
      <Alert color="red" role="alert" title={errorTitle}>
        <Button size="xs" variant="default" onClick={retry}>
          {retryLabel}
        </Button>
      </Alert>
    );
  }
  if (!data) {
    return fetching ? <Loader aria-label={t('app.loading')} /> : null;
  }
  return <>{children(data)}</>;
}
