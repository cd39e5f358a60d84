import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { useSession } from '../account/SessionProvider';
import { ErrorBoundary } from './ErrorBoundary';
import { LanguageSwitcher } from './LanguageSwitcher';
import { ShellMeQuery } from './ShellMe';
import classes from './Shell.module.css';

/** The console's screens, in the navigation's order. Each area owns its folder (src/dashboard, src/cases…). */
const screens = [
  { to: '/', end: true, label: 'nav.dashboard' },
  // Teamwork is STAFF and up (the API refuses myWork and tasks to anyone else).
  { to: '/work', end: false, label: 'nav.work', roles: ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'] },
  { to: '/cases', end: false, label: 'nav.cases' },
  { to: '/defenders', end: false, label: 'nav.defenders' },
  { to: '/news', end: false, label: 'nav.news' },
  { to: '/submissions', end: false, label: 'nav.submissions' },
  { to: '/reports', end: false, label: 'nav.reports' },
  { to: '/calendar', end: false, label: 'nav.calendar' },
  // STAFF and above import (the API refuses anyone else).
  { to: '/import', end: false, label: 'nav.import', roles: ['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM'] },
  // Shown to ADMIN only, for usability: the API refuses the area's documents to anyone else (FORBIDDEN).
  { to: '/admin', end: false, label: 'nav.admin', role: 'ADMIN' },
] as const;

/** The frame of every signed-in screen: header (person, language, sign-out), navigation, one <main>. */
export function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const { status, signOut } = useSession();
  const [{ data }, reexecute] = useQuery({ query: ShellMeQuery });
  const me = data?.me;

  // At every move to another screen, who the person is now (a changed role or clearance, or an ended session,
  // shows at once: an ended one answers 401 and the client goes to sign-in, then back here).
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    close();
    if (location.pathname !== firstPath.current) {
      firstPath.current = location.pathname;
      reexecute({ requestPolicy: 'network-only' });
    }
  }, [location.pathname, close, reexecute]);

  const name = me?.name ?? status?.name ?? '';
  const role = me?.role ?? status?.role ?? '';
  const clearance = me?.clearance ?? status?.clearance ?? '';

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className={classes.skipLink}>
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text fw={700} size="lg">
              {t('app.title')}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Stack gap={0} align="flex-end" visibleFrom="sm" data-testid="signed-in-person">
              <Text size="sm" fw={600}>
                {t('shell.account', { name })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('shell.roleClearance', {
                  role: t(`role.${role}`, { defaultValue: role }),
                  clearance: t(`clearance.${clearance}`, { defaultValue: clearance }),
                })}
              </Text>
            </Stack>
            <LanguageSwitcher />
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {screens.filter((screen) => ('role' in screen ? screen.role === me?.role : !('roles' in screen) || (screen.roles as readonly string[]).includes(me?.role ?? ''))).map((screen) => (
          <NavLink
            key={screen.to}
            component={RouterNavLink}
            to={screen.to}
            end={screen.end}
            label={t(screen.label)}
            active={screen.end ? location.pathname === screen.to : location.pathname.startsWith(screen.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense
            fallback={
              <Center py="xl">
                <Loader aria-label={t('app.loading')} />
              </Center>
            }
          >
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
