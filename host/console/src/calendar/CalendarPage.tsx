import '../cases/i18n';
import './i18n';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMemo, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { countryOptions } from '../cases/countries';
import { useFormat } from '../i18n/format';
import { ShellMeQuery } from '../shell/ShellMe';
import { calendarNamespace } from './i18n';
import { addDays, addMonths, daysBetween, daysFrom, formatDay, isDay, monthEnd, monthStart, today, weekStart } from './dates';
import { CalendarItemsQuery, CalendarLeadsQuery } from './documents';
import { FeedPanel } from './FeedPanel';
import { filtered, itemsOf, kinds, type CalendarItem, type ItemKind } from './items';

const views = ['month', 'week', 'agenda'] as const;
type View = (typeof views)[number];
const staffRoles = new Set(['STAFF', 'EDITOR', 'ADMIN', 'SYSTEM']);
const editorRoles = new Set(['EDITOR', 'ADMIN', 'SYSTEM']);
/** The anniversaries' window is at most 366 days. */
const maxWindow = 365;

/** The view in the URL: view (month | week | agenda), date (a day of the shown month or week), country and kind (repeated). */
function readView(params: URLSearchParams, now: string) {
  const view = params.get('view');
  const date = params.get('date');
  return {
    view: (views as readonly string[]).includes(view ?? '') ? (view as View) : 'month',
    date: isDay(date) ? date : now,
    countries: params.getAll('country').filter((c) => /^[A-Z]{2}$/.test(c)),
    kinds: params.getAll('kind').filter((k): k is ItemKind => (kinds as readonly string[]).includes(k)),
  };
}
type ViewState = ReturnType<typeof readView>;

function writeView(view: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  params.set('view', view.view);
  params.set('date', view.date);
  view.countries.forEach((c) => params.append('country', c));
  view.kinds.forEach((k) => params.append('kind', k));
  return params;
}

/** The days a view shows: the month's weeks (Monday to Sunday), the week, or the month's days for the agenda. */
function rangeOf(view: View, date: string): { from: string; to: string } {
  if (view === 'week') {
    const from = weekStart(date);
    return { from, to: addDays(from, 6) };
  }
  if (view === 'agenda') return { from: monthStart(date), to: monthEnd(date) };
  const from = weekStart(monthStart(date));
  return { from, to: addDays(weekStart(monthEnd(date)), 6) };
}

/**
 * /console/calendar — anniversaries (yearly, detention milestones), deadlines (submissions due, UN sessions, calls for
 * input), scheduled publications (editors) and, for staff, their reminders; by month, week or as an agenda, filtered by
 * country and kind, everything in the URL. Each item links to its record. The person's iCalendar feed is below.
 */
export default function CalendarPage() {
  const { t, i18n } = useTranslation(calendarNamespace);
  const locale = i18n.language;
  const { number } = useFormat();
  const { t: shared } = useTranslation();
  const now = today();
  const [params, setParams] = useSearchParams();
  const view = readView(params, now);
  const change = (next: Partial<ViewState>) => setParams(writeView({ ...view, ...next }));
  const [{ data: me }] = useQuery({ query: ShellMeQuery });
  const role = me?.me.role ?? '';
  const staff = staffRoles.has(role);
  const editor = editorRoles.has(role);
  const [{ data: leadsData }] = useQuery({ query: CalendarLeadsQuery, pause: !staff });
  const leads = staff ? (leadsData?.reminderLeads ?? null) : null;

  const { from, to } = rangeOf(view.view, view.date);
  // Asked beyond the view by the longest lead, so that the reminders of later items show on their days in it.
  // (Until the leads have come, the default longest lead: the items do not wait for them.)
  const lead = leads ? Math.max(leads.anniversaryDays, ...leads.deadlineDays) : staff ? 30 : 0;
  const askTo = addDays(to, Math.max(0, Math.min(lead, maxWindow - daysBetween(from, to))));
  const [{ data, fetching, error }] = useQuery({
    query: CalendarItemsQuery,
    variables: {
      from,
      to: askTo,
      filter: view.countries.length ? { countries: view.countries } : null,
      articles: { scheduledFrom: addDays(from, -1), scheduledTo: addDays(to, 1), countries: view.countries.length ? view.countries : null },
      withArticles: editor,
    },
    pause: !me,
  });
  const items = useMemo(
    () =>
      filtered(
        itemsOf(data, leads, from, to, t, number, (type) => shared(`caseDesk.eventType.${type}`).toLowerCase()),
        view.countries,
        view.kinds,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, leads, from, to, t, shared, locale, view.countries.join(), view.kinds.join()],
  );
  const countries = useMemo(() => countryOptions(locale), [locale]);

  const step = (direction: -1 | 1) =>
    change({ date: view.view === 'week' ? addDays(view.date, 7 * direction) : addMonths(view.date, direction) });
  /** Page Up / Page Down anywhere in the calendar: the previous or next month (week). */
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'PageUp' || e.key === 'PageDown') {
      e.preventDefault();
      step(e.key === 'PageUp' ? -1 : 1);
    }
  };
  const period =
    view.view === 'week'
      ? t('period.week', { from: formatDay(locale, from, { dateStyle: 'medium' }), to: formatDay(locale, to, { dateStyle: 'medium' }) })
      : formatDay(locale, view.date, { month: 'long', year: 'numeric' });
  const unit = view.view === 'week' ? 'Week' : 'Month';

  return (
    <Stack gap="md">
      <Title order={1}>{t('title')}</Title>
      <Paper withBorder p="md" component="section" aria-labelledby="calendar-filters">
        <Title order={2} size="h4" id="calendar-filters" mb="sm">
          {t('filters')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <MultiSelect
            label={t('countries')}
            data={countries}
            value={view.countries}
            onChange={(value) => change({ countries: value })}
            searchable
            clearable
            data-testid="calendar-countries"
          />
          <MultiSelect
            searchable
            label={t('kinds')}
            data={kinds.filter((k) => staff || k !== 'REMINDER').map((k) => ({ value: k, label: t(`kind.${k}`) }))}
            value={view.kinds}
            onChange={(value) => change({ kinds: value as ItemKind[] })}
            clearable
            data-testid="calendar-kinds"
          />
          <TextInput
            type="month"
            label={t('goTo')}
            value={view.date.slice(0, 7)}
            onChange={(e) => {
              const month = e.currentTarget.value;
              if (/^\d{4}-\d{2}$/.test(month)) change({ date: `${month}-01` });
            }}
            data-testid="calendar-go-to-month"
          />
        </SimpleGrid>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="calendar-period" onKeyDown={onKeyDown} data-testid="calendar">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Group gap="xs">
            <Button variant="default" onClick={() => step(-1)} data-testid="calendar-previous">
              {t(`previous${unit}`)}
            </Button>
            <Button variant="default" onClick={() => change({ date: now })} data-testid="calendar-today">
              {t('today')}
            </Button>
            <Button variant="default" onClick={() => step(1)} data-testid="calendar-next">
              {t(`next${unit}`)}
            </Button>
          </Group>
          <Title order={2} size="h3" id="calendar-period" aria-live="polite" data-testid="calendar-period">
            {period}
          </Title>
          <SegmentedControl
            aria-label={t('view')}
            value={view.view}
            onChange={(value) => change({ view: value as View })}
            data={views.map((v) => ({ value: v, label: t(`views.${v}`) }))}
            data-testid="calendar-views"
          />
        </Group>
        <Text size="xs" c="dimmed" mb="sm">
          {t('keyboard')}
        </Text>
        {error && !data ? (
          <Alert color="red" variant="light" role="alert">
            {error.graphQLErrors[0]?.message ?? t('loadError')}
          </Alert>
        ) : fetching && !data ? (
          <Group justify="center" py="xl">
            <Loader aria-label={t('loading')} />
          </Group>
        ) : view.view === 'agenda' ? (
          <Agenda items={items} />
        ) : (
          <Grid view={view.view} date={view.date} from={from} to={to} items={items} now={now} />
        )}
      </Paper>

      <FeedPanel />
    </Stack>
  );
}

const kindColor: Record<ItemKind, string> = {
  YEARLY: 'grape',
  DETENTION_DAYS: 'red',
  SUBMISSION_DUE: 'blue',
  UN_SESSION: 'cyan',
  CALL_FOR_INPUT_DEADLINE: 'teal',
  PUBLICATION: 'orange',
  REMINDER: 'gray',
};

function ItemLink({ item, compact }: { item: CalendarItem; compact: boolean }) {
  const { t, i18n } = useTranslation(calendarNamespace);
  const time = item.at ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(new Date(item.at)) : null;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Badge size="xs" variant="light" color={kindColor[item.kind]} radius="sm" title={t(`kind.${item.kind}`)} aria-hidden>
        {t(`short.${item.kind}`)}
      </Badge>
      <Anchor component={Link} to={item.href} size={compact ? 'xs' : 'sm'} lineClamp={compact ? 2 : undefined} data-kind={item.kind} data-day={item.day}>
        <VisuallyHidden>{t(`kind.${item.kind}`)}: </VisuallyHidden>
        {time ? `${time} ` : ''}
        {item.text}
      </Anchor>
    </Group>
  );
}

function Grid({ view, date, from, to, items, now }: { view: 'month' | 'week'; date: string; from: string; to: string; items: CalendarItem[]; now: string }) {
  const { t, i18n } = useTranslation(calendarNamespace);
  const locale = i18n.language;
  const days = daysFrom(from, to);
  const weeks: string[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const byDay = new Map<string, CalendarItem[]>();
  items.forEach((item) => byDay.set(item.day, [...(byDay.get(item.day) ?? []), item]));
  const month = date.slice(0, 7);
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table withTableBorder withColumnBorders layout="fixed" data-testid={`calendar-${view}`} aria-describedby="calendar-period">
        <Table.Thead>
          <Table.Tr>
            {weeks[0]!.map((d) => (
              <Table.Th key={d} scope="col">
                <abbr title={formatDay(locale, d, { weekday: 'long' })}>{formatDay(locale, d, { weekday: 'short' })}</abbr>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {weeks.map((week) => (
            <Table.Tr key={week[0]}>
              {week.map((d) => {
                const dayItems = byDay.get(d) ?? [];
                const outside = view === 'month' && d.slice(0, 7) !== month;
                return (
                  <Table.Td key={d} data-date={d} data-today={d === now || undefined} valign="top" bg={d === now ? 'var(--mantine-color-blue-light)' : undefined}>
                    <Text size="xs" fw={d === now ? 700 : 500} c={outside ? 'dimmed' : undefined} mb={4}>
                      <time dateTime={d}>
                        {view === 'week' ? formatDay(locale, d, { day: 'numeric', month: 'short' }) : formatDay(locale, d, { day: 'numeric' })}
                      </time>
                      {d === now && <VisuallyHidden> ({t('today')})</VisuallyHidden>}
                    </Text>
                    {dayItems.length > 0 && (
                      <Stack component="ul" gap={4} m={0} p={0} aria-label={formatDay(locale, d, { dateStyle: 'full' })} style={{ listStyle: 'none' }}>
                        {dayItems.map((item) => (
                          <li key={item.key}>
                            <ItemLink item={item} compact={view === 'month'} />
                          </li>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Agenda({ items }: { items: CalendarItem[] }) {
  const { t, i18n } = useTranslation(calendarNamespace);
  const locale = i18n.language;
  if (items.length === 0) {
    return (
      <Text py="lg" data-testid="calendar-agenda-empty">
        {t('empty')}
      </Text>
    );
  }
  const days = [...new Set(items.map((i) => i.day))];
  return (
    <Stack gap="sm" data-testid="calendar-agenda">
      {days.map((d) => (
        <section key={d} aria-labelledby={`agenda-${d}`} data-date={d}>
          <Title order={3} size="h5" id={`agenda-${d}`}>
            <time dateTime={d}>{formatDay(locale, d, { dateStyle: 'full' })}</time>
          </Title>
          <Stack component="ul" gap={4} m={0} pl={0} style={{ listStyle: 'none' }}>
            {items
              .filter((i) => i.day === d)
              .map((item) => (
                <li key={item.key}>
                  <ItemLink item={item} compact={false} />
                </li>
              ))}
          </Stack>
        </section>
      ))}
    </Stack>
  );
}
