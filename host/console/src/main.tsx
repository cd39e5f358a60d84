import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { startAccountStatus } from './account/session';
import { prefetchFigures } from './dashboard/figures';

// The console's first script is small on purpose: it starts what the first screen waits for (the session check and,
// on the dashboard, its figures and its page's chunk) while the rest of the console — React, Mantine, the shell (a
// few hundred KB that take a while to arrive and to parse on a slow connection) — is still on its way (start.tsx,
// which index.html also preloads). On a slow connection, round trips in a row are what a cold load is made of.
void startAccountStatus();
const consoleChunk = import('./start');
if (/^\/console\/?$/.test(window.location.pathname)) {
  void import('./dashboard/DashboardPage');
  const figures = startAccountStatus().then(
    (status) => (status.signedIn ? prefetchFigures().then(() => true) : false),
    () => false,
  );
  // The charts (ECharts, the largest chunk) and the map once the figures and the console's own chunk are there: they
  // never compete with either for the bandwidth, and come at once when the console was in the browser's cache.
  void Promise.all([figures, consoleChunk]).then(([signedIn]) => {
    if (signedIn) {
      void import('./dashboard/charts/DashboardCharts');
      void import('./dashboard/map/WorldMap');
    }
  }, () => undefined);
}
