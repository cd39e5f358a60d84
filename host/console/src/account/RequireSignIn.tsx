import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ServerUnreachable } from '../shell/ServerUnreachable';
import { signInPath, useSession } from './SessionProvider';

/** The console's screens need a signed-in person: anyone else goes to sign-in, and comes back here after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { status, failed, reason } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (failed && !status) {
    return <ServerUnreachable />;
  }
  if (!status) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (!status.signedIn) {
    // After a sign-out, no way back to the screen; after an ended session, back to where the person was.
    const returnTo = reason === 'signedOut' ? '/' : location.pathname + location.search;
    return <Navigate to={signInPath(returnTo, reason)} replace />;
  }
  return children;
}
