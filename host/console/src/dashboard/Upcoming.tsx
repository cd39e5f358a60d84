import { Alert, Anchor, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useFormat } from '../i18n/format';
import { formatCalendarDate } from './dates';
import { DashboardRemindersQuery, DashboardUpcomingQuery } from './queries';

/** How many entries each list shows (the rest is counted). */
const shown = 6;

const caseLink = (id: string) => `/cases/${encodeURIComponent(id)}`;

/** Anniversaries, deadlines and (for staff) reminders of the next 30 days. */
export function Upcoming({ from, to, staff }: { from: string; to: string; staff: boolean }) {
  const { t } = useTranslation('dashboard');
  const { locale, number } = useFormat();
  // Asked with the key figures: the API gives the first few of each list and counts the rest, so the answers stay small.
  const [{ data, fetching, error }] = useQuery({ query: DashboardUpcomingQuery, variables: { from, to, first: shown } });
  const date = (value: string) => formatCalendarDate(locale, value);

  const anniversaries = (data?.anniversaries ?? []).map((a, i) => ({
    key: `${a.case.id}-${a.caseEvent.id}-${a.date}-${i}`,
    date: a.date,
    body: (
      <>
        <Anchor component={Link} to={caseLink(a.case.id)} size="sm">
          {a.case.reference}
        </Anchor>{' '}
        <Text span size="sm">
          {a.kind === 'YEARLY'
            ? t('upcoming.yearly', { count: a.years ?? 0, event: t(`eventType.${a.caseEvent.type}`) })
            : t('upcoming.detention', { count: a.days ?? 0, n: number(a.days ?? 0) })}
        </Text>
      </>
    ),
  }));
  const deadlines = (data?.deadlines ?? []).map((d, i) => ({
    key: `${d.subject.id}-${d.kind}-${d.date}-${i}`,
    date: d.date,
    body: (
      <Text span size="sm">
        {t(`deadlineKind.${d.kind}`)}: {d.subject.title}
      </Text>
    ),
  }));

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-labelledby="upcoming-title" data-testid="upcoming">
      <Title order={2} size="h4" id="upcoming-title" mb="sm">
        {t('upcoming.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Section id="anniversaries" title={t('upcoming.anniversaries')} loading={fetching && !data} error={!!error && !data}>
          <DatedList entries={anniversaries} date={date} total={data?.anniversaryCount} />
        </Section>
        <Section id="deadlines" title={t('upcoming.deadlines')} loading={fetching && !data} error={!!error && !data}>
          <DatedList entries={deadlines} date={date} />
        </Section>
        <Section id="reminders" title={t('upcoming.reminders')} loading={false} error={false}>
          {staff ? <Reminders from={from} to={to} /> : <Text size="sm" c="dimmed">{t('upcoming.staffOnly')}</Text>}
        </Section>
      </SimpleGrid>
    </Paper>
  );
}

function Reminders({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation('dashboard');
  const { locale, number } = useFormat();
  const [{ data, fetching, error }] = useQuery({ query: DashboardRemindersQuery, variables: { from, to } });
  if (fetching && !data) {
    return <Skeleton height={80} />;
  }
  if (error && !data) {
    return <Alert color="red" variant="light">{t('loadError')}</Alert>;
  }
  const date = (value: string) => formatCalendarDate(locale, value);
  const entries = (data?.reminders.nodes ?? []).map((r) => {
    const subject = r.subject;
    let body: ReactNode = null;
    if (subject?.__typename === 'Anniversary') {
      body = (
        <>
          <Anchor component={Link} to={caseLink(subject.case.id)} size="sm">
            {subject.case.reference}
          </Anchor>{' '}
          <Text span size="sm">
            {subject.anniversaryKind === 'YEARLY' ? t('upcoming.yearsOnly', { count: subject.years ?? 0 }) : t('upcoming.detention', { count: subject.days ?? 0, n: number(subject.days ?? 0) })}
          </Text>
        </>
      );
    } else if (subject?.__typename === 'Deadline') {
      body = (
        <Text span size="sm">
          {t(`deadlineKind.${subject.deadlineKind}`)}: {subject.deadlineSubject.title}
        </Text>
      );
    } else {
      body = r.caseId ? (
        <Anchor component={Link} to={caseLink(r.caseId)} size="sm">
          {t('upcoming.gone')}
        </Anchor>
      ) : (
        <Text span size="sm" c="dimmed">
          {t('upcoming.gone')}
        </Text>
      );
    }
    return {
      key: r.id,
      date: r.dueOn,
      body: (
        <>
          {body}{' '}
          <Text span size="xs" c="dimmed">
            ({t('upcoming.remindOn', { date: date(r.remindOn) })})
          </Text>
        </>
      ),
    };
  });
  return <DatedList entries={entries} date={date} total={data?.reminders.totalCount} />;
}

function Section({ id, title, loading, error, children }: { id: string; title: string; loading: boolean; error: boolean; children: ReactNode }) {
  const { t } = useTranslation('dashboard');
  return (
    <Stack gap="xs" data-testid={`upcoming-${id}`}>
      <Title order={3} size="h6">
        {title}
      </Title>
      {loading ? <Skeleton height={80} /> : error ? <Alert color="red" variant="light">{t('loadError')}</Alert> : children}
    </Stack>
  );
}

function DatedList({ entries, date, total }: { entries: { key: string; date: string; body: ReactNode }[]; date: (v: string) => string; total?: number | undefined }) {
  const { t } = useTranslation('dashboard');
  const { number } = useFormat();
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('upcoming.none')}
      </Text>
    );
  }
  const rest = (total ?? entries.length) - Math.min(shown, entries.length);
  return (
    <>
      <List spacing={6} listStyleType="none" p={0} data-count={total ?? entries.length}>
        {entries.slice(0, shown).map((e) => (
          <List.Item key={e.key}>
            <Group gap={6} wrap="nowrap" align="baseline">
              <Text size="xs" fw={600} c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={e.date}>{date(e.date)}</time>
              </Text>
              <div>{e.body}</div>
            </Group>
          </List.Item>
        ))}
      </List>
      {rest > 0 && (
        <Text size="xs" c="dimmed">
          {t('upcoming.more', { count: rest, n: number(rest) })}
        </Text>
      )}
    </>
  );
}
