import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Provider as UrqlProvider } from 'urql';
import { createConsoleClient } from '../graphql/client';
import { fetchAccountStatus, postAccount, type AccountStatus } from './session';

interface Session {
  status: AccountStatus | null;
  /** The status could not be read (the host is down): shown by the shell instead of a sign-in loop. */
  failed: boolean;
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
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef('/');
  here.current = location.pathname + location.search;

  const refresh = useCallback(async () => {
    try {
      const next = await fetchAccountStatus();
      setStatus(next);
      setFailed(false);
      return next;
    } catch {
      setFailed(true);
      return null;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const ending = useRef(false);
  const onUnauthenticated = useCallback(() => {
    if (ending.current) {
      return;
    }
    ending.current = true;
    const returnTo = here.current;
    void refresh().finally(() => {
      ending.current = false;
      navigate(signInPath(returnTo, 'ended'), { replace: true });
    });
  }, [navigate, refresh]);

  const signOut = useCallback(async () => {
    await postAccount('/account/sign-out', {});
    await refresh();
    navigate(signInPath('/', 'signedOut'), { replace: true });
  }, [navigate, refresh]);

  // A new client (and so an empty cache) for each person.
  const personId = status?.signedIn ? status.id : null;
  const client = useMemo(() => {
    void personId;
    return createConsoleClient(onUnauthenticated);
  }, [personId, onUnauthenticated]);

  const session = useMemo(() => ({ status, failed, refresh, signOut }), [status, failed, refresh, signOut]);
  return (
    <SessionContext value={session}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </SessionContext>
  );
}
