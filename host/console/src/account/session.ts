/**
 * The session as the Accounts module's JSON endpoints under /account tell it (GET /account with
 * Accept: application/json). The antiforgery token it returns is bound to the signed-in account: it is kept
 * in memory only (never in localStorage) and fetched again after every sign-in and sign-out.
 */

export type Role = 'ANONYMOUS' | 'PUBLIC' | 'NETWORK' | 'STAFF' | 'EDITOR' | 'INTEGRATOR' | 'ADMIN' | string;

export interface OpenIdConnectSignIn {
  displayName: string;
  signInUrl: string;
}

export interface AccountStatus {
  signedIn: boolean;
  id: string | null;
  name: string | null;
  role: Role | null;
  clearance: string | null;
  antiforgeryHeader: string;
  antiforgeryToken: string;
  /** The organisation's OpenID Connect provider when one is configured (absent on hosts that predate it). */
  openIdConnect?: OpenIdConnectSignIn | null;
}

let antiforgery: { header: string; token: string } | null = null;
/** The account of the last answer of GET /account (null when signed out): whose session the requests carry. */
let accountId: string | null = null;

/** The id of the signed-in account as GET /account last said (null when not signed in or not asked yet). */
export function currentAccountId(): string | null {
  return accountId;
}

/** The header that every POST to /graphql and /account carries (the session cookie alone is refused). */
export function antiforgeryHeaders(): Record<string, string> {
  return antiforgery ? { [antiforgery.header]: antiforgery.token } : {};
}

export async function fetchAccountStatus(): Promise<AccountStatus> {
  const response = await fetch('/account', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    cache: 'no-store',
  });
  if (!response.ok) {
    throw new Error(`GET /account answered ${response.status}`);
  }
  const status = (await response.json()) as AccountStatus;
  antiforgery = { header: status.antiforgeryHeader, token: status.antiforgeryToken };
  accountId = status.signedIn ? status.id : null;
  return status;
}

let started: Promise<AccountStatus> | null = null;

/**
 * GET /account at once, when the console's script starts (main.tsx), rather than after React has rendered: on a slow
 * connection the session check, and what waits for it (the dashboard's figures), start a few hundred ms earlier. The
 * session provider's first read takes this answer (takeStartedAccountStatus); every later read asks again.
 */
export function startAccountStatus(): Promise<AccountStatus> {
  if (!started) {
    started = fetchAccountStatus();
    started.catch(() => undefined); // read (and its failure handled) by the session provider
  }
  return started;
}

/** The answer started by startAccountStatus, once (null after that, or when it was not started). */
export function takeStartedAccountStatus(): Promise<AccountStatus> | null {
  const answer = started;
  started = null;
  return answer;
}

export type AccountAnswer =
  | { status: 'SIGNED_IN' }
  | { status: 'SECOND_FACTOR_REQUIRED' }
  | { status: 'SIGNED_OUT' }
  | { status: 'REFUSED'; message?: string };

/** POST a JSON body to an /account endpoint, same-origin, with the antiforgery header (fetched first if need be). */
async function sendToAccount(path: string, body: unknown): Promise<Response> {
  if (!antiforgery) {
    await fetchAccountStatus();
  }
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...antiforgeryHeaders() },
    body: JSON.stringify(body ?? {}),
  });
}

/** POST a JSON body to an /account endpoint with the antiforgery header; the answer's JSON (or REFUSED). */
export async function postAccount(path: string, body: unknown): Promise<AccountAnswer> {
  const response = await sendToAccount(path, body);
  try {
    return (await response.json()) as AccountAnswer;
  } catch {
    return { status: 'REFUSED' };
  }
}

/** POST that answers raw JSON (the passkey options). */
export async function postAccountJson(path: string, body: unknown): Promise<unknown> {
  const response = await sendToAccount(path, body);
  if (!response.ok) {
    throw new Error(`${path} answered ${response.status}`);
  }
  return response.json();
}

/** Where to go after signing in: only a path inside the console (never another origin). */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/';
  }
  return value;
}
