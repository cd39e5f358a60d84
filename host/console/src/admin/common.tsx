import { Alert, Badge, Code } from '@mantine/core';
import type { CombinedError } from '@urql/core';
import { useTranslation } from 'react-i18next';

/** The API's error code of a failed query (FORBIDDEN, NOT_FOUND…), or null for a network failure. */
export function errorCode(error: CombinedError): string | null {
  const code = error.graphQLErrors[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : null;
}

/**
 * A query the API refused, said plainly: FORBIDDEN (below ADMIN, the API's answer, not the console's) or another
 * code with the API's message. role="alert" so that a screen reader hears it.
 */
export function ApiRefusal({ error }: { error: CombinedError }) {
  const { t } = useTranslation();
  const code = errorCode(error);
  return (
    <Alert role="alert" color="red" title={code === 'FORBIDDEN' ? t('admin.forbidden.title') : t('admin.failed')} data-testid="admin-refusal">
      {code === 'FORBIDDEN' ? t('admin.forbidden.body') : (error.graphQLErrors[0]?.message ?? error.message)}{' '}
      {code && <Code data-testid="admin-error-code">{code}</Code>}
    </Alert>
  );
}

/** A role or clearance as the shell shows it (its translated name). */
export function Level({ kind, value }: { kind: 'role' | 'clearance'; value: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={kind === 'role' ? 'blue.9' : 'gray.8'} tt="none">
      {t(`${kind}.${value}`)}
    </Badge>
  );
}

export const roles = ['NETWORK_MEMBER', 'INTEGRATOR', 'STAFF', 'EDITOR', 'ADMIN'] as const;
export const clearances = ['PUBLIC', 'NETWORK', 'STAFF', 'RESTRICTED'] as const;

/** The levels a person may hand out: up to their own clearance (the API refuses more, VALIDATION on clearance). */
export function clearancesUpTo(own: string | undefined): string[] {
  const index = own ? clearances.indexOf(own as (typeof clearances)[number]) : clearances.length - 1;
  return clearances.slice(0, index < 0 ? clearances.length : index + 1);
}
