import { MantineProvider, mergeThemeOverrides, type MantineThemeOverride } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { lazy, useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import { RequireSignIn } from './account/RequireSignIn';
import { SessionProvider } from './account/SessionProvider';
import { SignInPage } from './account/SignInPage';
import { ErrorBoundary } from './shell/ErrorBoundary';
import { NotFoundPage } from './shell/NotFoundPage';
import { Shell } from './shell/Shell';
import { cssVariablesResolver, theme } from './shell/theme';

// Each area's screens load when first shown (the initial JavaScript stays small). main.tsx has already asked for the
// dashboard's chunk and figures when the console was opened on it; the page asks for its charts and map (DashboardPage).
const DashboardPage = lazy(() => import('./dashboard/DashboardPage'));
const CasesPage = lazy(() => import('./cases/CasesPage'));
const DefendersPage = lazy(() => import('./defenders/DefendersPage'));
const SubmissionsPage = lazy(() => import('./submissions/SubmissionsPage'));
const ReportsArea = lazy(() => import('./reports/ReportsArea'));
const AdminPage = lazy(() => import('./admin/AdminPage'));
const CalendarPage = lazy(() => import('./calendar/CalendarPage'));
const NewsPage = lazy(() => import('./news/NewsPage'));
const ImportArea = lazy(() => import('./import/ImportArea'));
const WorkArea = lazy(() => import('./teamwork/WorkArea'));

/**
 * Mantine writes a few <style> elements (CSS variables, AppShell's media queries): the host's
 * Content-Security-Policy allows them by a nonce that it puts in index.html for each response.
 */
function styleNonce(): string | undefined {
  const value = document.querySelector<HTMLMetaElement>('meta[name="omct-style-nonce"]')?.content;
  return value && !value.startsWith('__') ? value : undefined;
}
const nonce = styleNonce();

function DocumentTitle() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);
  return null;
}

/** The fields' clear buttons (×) carry no text: each gets its name in the page's language (axe's button-name). */
const clearable = ['Select', 'MultiSelect', 'Autocomplete', 'TagsInput', 'FileInput', 'DateInput', 'DatePickerInput', 'DateTimePicker', 'MonthPickerInput', 'TimePicker'];

function ThemeProvider({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const localised = useMemo<MantineThemeOverride>(
    () =>
      mergeThemeOverrides(theme, {
        components: Object.fromEntries(clearable.map((name) => [name, { defaultProps: { clearButtonProps: { 'aria-label': t('app.clear') } } }])),
      }),
    [t, i18n.language],
  );
  return (
    <MantineProvider theme={localised} cssVariablesResolver={cssVariablesResolver} getStyleNonce={() => nonce ?? ''}>
      {children}
    </MantineProvider>
  );
}

export function App() {
  return (
    <ThemeProvider>
      <Notifications />
      <DocumentTitle />
      <ErrorBoundary>
        <BrowserRouter basename="/console">
          <SessionProvider>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route
                element={
                  <RequireSignIn>
                    <Shell />
                  </RequireSignIn>
                }
              >
                <Route index element={<DashboardPage />} />
                <Route path="cases/*" element={<CasesPage />} />
                <Route path="defenders/*" element={<DefendersPage />} />
                <Route path="submissions/*" element={<SubmissionsPage />} />
                <Route path="reports/*" element={<ReportsArea />} />
                <Route path="digests/*" element={<ReportsArea />} />
                <Route path="admin/*" element={<AdminPage />} />
                <Route path="calendar" element={<CalendarPage />} />
                <Route path="news/*" element={<NewsPage />} />
                <Route path="import/*" element={<ImportArea />} />
                <Route path="work/*" element={<WorkArea />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </SessionProvider>
        </BrowserRouter>
      </ErrorBoundary>
    </ThemeProvider>
  );
}
