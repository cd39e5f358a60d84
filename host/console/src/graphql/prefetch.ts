import { antiforgeryHeaders, currentAccountId } from '../account/session';

/**
 * Queries started before the screen that shows them has rendered (the dashboard's figures, asked for while the
 * console's script and the page's chunk are still arriving): persistedFetch hands the answer to the first identical
 * request — the same persisted document and variables, for the same signed-in account, within a minute — instead of
 * sending it again. Anything else (another account after a sign-out, a later visit) goes to the network as usual.
 */
interface Started {
  accountId: string;
  at: number;
  response: Promise<Response>;
}

const started = new Map<string, Started>();
const keptFor = 60_000;

/**
 * The body persistedFetch sends for a persisted document (also the key of a started request): the variables with
 * their keys in order at every level (urql sorts them so; a prefetch may list them in any order).
 */
export function persistedBody(documentId: string, operationName: string | undefined, variables: unknown): string {
  return JSON.stringify({ documentId, operationName, variables: sortedKeys(variables) });
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedKeys);
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The headers of every console request to /graphql (persistedFetch adds the antiforgery header to the client's). */
export const graphqlHeaders: Record<string, string> = {
  Accept: 'application/graphql-response+json, application/json',
  'Content-Type': 'application/json',
};

/**
 * POST a persisted query now, for the signed-in account (after GET /account answered, which gave the antiforgery
 * token); the client's first identical request takes the answer. Settles when the answer's headers have arrived.
 */
export function prefetchQuery(document: object, operationName: string, variables: Record<string, unknown>): Promise<void> {
  // The hash codegen put into the document (as persistedDocumentsExchange reads it).
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  const accountId = currentAccountId();
  if (!hash || !accountId) {
    return Promise.resolve();
  }
  const body = persistedBody(hash, operationName, variables);
  const response = fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...graphqlHeaders, ...antiforgeryHeaders() },
    body,
  });
  started.set(body, { accountId, at: Date.now(), response });
  // Settles when the answer has arrived (a failed prefetch is sent again by the client: takePrefetched).
  return response.then(() => undefined, () => undefined);
}

/** The answer of a started request identical to this one, once; undefined when there is none to take. */
export function takePrefetched(body: string, send: () => Promise<Response>): Promise<Response> | undefined {
  const entry = started.get(body);
  if (!entry) {
    return undefined;
  }
  started.delete(body);
  if (entry.accountId !== currentAccountId() || Date.now() - entry.at > keptFor) {
    return undefined;
  }
  return entry.response.catch(send);
}
