import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { notifications } from '@mantine/notifications';
import { Provider as UrqlProvider } from 'urql';
import i18next from '../i18n';
import { createConsoleClient } from '../graphql/client';
import { fetchAccountStatus, postAccount, takeStartedAccountStatus, type AccountStatus } from './session';

interface Session {
  status: AccountStatus | null;
  /** The status could not be read (the host is down): shown by the shell instead of a sign-in loop. */
  failed: boolean;
  /** Why the person is no longer signed in, told on the sign-in screen (RequireSignIn sends them there). */
  reason: 'ended' | 'signedOut' | undefined;
  refresh: () => Promise<AccountStatus | null>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) {
    throw new Error('useSession outside SessionProvider');
  }
  return session;
}

/** The path (inside /console) of the current screen, to come back to after signing in. */
export function signInPath(returnTo: string, reason?: 'ended' | 'signedOut'): string {
  const query = new URLSearchParams();
  if (returnTo && returnTo !== '/' && !returnTo.startsWith('/sign-in')) {
    query.set('returnTo', returnTo);
  }
  if (reason) {
    query.set(reason, '1');
  }
  const text = query.toString();
  return text ? `/sign-in?${text}` : '/sign-in';
}

/**
 * Reads the session (GET /account), holds the GraphQL client of the signed-in person and handles the end of a
 * session: an UNAUTHENTICATED/401 answer goes to sign-in with returnTo (the current screen).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AccountStatus | null>(null);
  const [failed, setFailed] = useState(false);
  const [reason, setReason] = useState<'ended' | 'signedOut' | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const next = await (takeStartedAccountStatus() ?? fetchAccountStatus());
      setStatus(next);
      setFailed(false);
      if (next.signedIn) {
        setReason(undefined);
      }
      return next;
    } catch {
      setFailed(true);
      return null;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The API said "not signed in" (the session expired or was revoked): GET /account again (it drops the dead
  // cookie and gives a new antiforgery token); RequireSignIn then goes to sign-in with returnTo = this screen.
  const ending = useRef(false);
  const onUnauthenticated = useCallback(() => {
    if (ending.current) {
      return;
    }
    ending.current = true;
    setReason('ended');
    void refresh().finally(() => {
      ending.current = false;
    });
  }, [refresh]);

  const onFailure = useCallback(() => {
    notifications.show({ id: 'request-failed', color: 'red', title: i18next.t('errors.title'), message: i18next.t('errors.network') });
  }, []);

  const signOut = useCallback(async () => {
    setReason('signedOut');
    await postAccount('/account/sign-out', {});
    await refresh();
  }, [refresh]);

  // A new client (and so an empty cache) for each person.
  const personId = status?.signedIn ? status.id : null;
  const client = useMemo(() => {
    void personId;
    return createConsoleClient(onUnauthenticated, onFailure);
  }, [personId, onUnauthenticated, onFailure]);

  const session = useMemo(() => ({ status, failed, reason, refresh, signOut }), [status, failed, reason, refresh, signOut]);
  return (
    <SessionContext value={session}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </SessionContext>
  );
}
