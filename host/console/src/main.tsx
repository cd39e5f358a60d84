import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { startAccountStatus } from './account/session';
import { prefetchFigures } from './dashboard/figures';

// The console's first script is small on purpose: it starts what the first screen waits for (the session check and,
// on the dashboard, its figures and its page's chunk) while the rest of the console — React, Mantine, the shell (a
// few hundred KB that take a while to arrive and to parse on a slow connection) — is still on its way (start.tsx,
// which index.html also preloads). On a slow connection, round trips in a row are what a cold load is made of.
void startAccountStatus();
if (/^\/console\/?$/.test(window.location.pathname)) {
  void import('./dashboard/DashboardPage');
  void startAccountStatus().then((status) => {
    if (status.signedIn) {
      prefetchFigures();
    }
  }, () => undefined);
}
void import('./start');
