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
  void startAccountStatus().then((status) => {
    if (status.signedIn) {
      prefetchFigures();
    }
  }, () => undefined);
  // The charts (ECharts, the largest chunk) and the map once the console's own chunk is there: at once when it was in
  // the browser's cache, and never competing with it for the bandwidth on a cold load.
  void consoleChunk.then(() => {
    void import('./dashboard/charts/DashboardCharts');
    void import('./dashboard/map/WorldMap');
  }, () => undefined);
}
