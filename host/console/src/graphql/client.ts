import { Client, fetchExchange, mapExchange, type CombinedError } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { antiforgeryHeaders } from '../account/session';
import { persistedDocumentsExchange, persistedFetch } from './persisted';

/** True when the API says the caller is not (or no longer) signed in: HTTP 401 or UNAUTHENTICATED. */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (!error) {
    return false;
  }
  const status = (error.response as Response | undefined)?.status;
  return status === 401 || error.graphQLErrors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED');
}

/**
 * The console's GraphQL client: graphcache (a normalised cache), persisted operations only, then fetch with the
 * session cookie (same-origin) and the antiforgery header. One client per signed-in person: the app creates it
 * anew at every sign-in and sign-out, so nothing a previous person (another clearance) saw stays in the cache.
 * An answer that says "not signed in" (401 / UNAUTHENTICATED) calls onUnauthenticated: the app goes to sign-in
 * with returnTo and comes back after. A request that failed outright (network, INTERNAL) calls onFailure (a
 * notification); the contract's other errors (VALIDATION, CONFLICT, NOT_FOUND…) are the screen's to show.
 */
export function createConsoleClient(onUnauthenticated: () => void, onFailure: (error: CombinedError) => void): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: {
      credentials: 'same-origin',
      headers: { Accept: 'application/graphql-response+json, application/json' },
    },
    fetch: persistedFetch((input, init) => fetch(input, init), antiforgeryHeaders),
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) {
            onUnauthenticated();
          } else if (error.networkError || error.graphQLErrors.some((e) => e.extensions?.['code'] === 'INTERNAL')) {
            onFailure(error);
          }
        },
      }),
      cacheExchange({
        // The caller has no id when anonymous; buckets, colleagues (teamwork's names of accounts) and myWork have none: each is kept inside its parent.
        keys: { Caller: () => null, StatisticsBucket: () => null, Colleague: () => null, MyWork: () => null },
      }),
      persistedDocumentsExchange,
      fetchExchange,
    ],
  });
}
