import type { TFunction } from 'i18next';
import type { CalendarItemsQuery } from '../gql/graphql';
import { addDays, today } from './dates';

/** What the calendar shows, each filterable: the "kind" filter in the URL takes these names. */
export const kinds = ['YEARLY', 'DETENTION_DAYS', 'SUBMISSION_DUE', 'UN_SESSION', 'CALL_FOR_INPUT_DEADLINE', 'PUBLICATION', 'REMINDER'] as const;
export type ItemKind = (typeof kinds)[number];

export type CalendarItem = {
  key: string;
  /** yyyy-MM-dd */
  day: string;
  kind: ItemKind;
  /** For a reminder: the kind of what it reminds of. */
  of?: ItemKind;
  text: string;
  /** The record's page in the console. */
  href: string;
  countries: string[];
  confidential: boolean;
  /** A scheduled publication's time (ISO). */
  at?: string;
};

export type Leads = { anniversaryDays: number; deadlineDays: number[] };

const path = (area: string, id: string) => `/${area}/${encodeURIComponent(id)}`;

/**
 * The view's items from the API's answer: each anniversary and deadline on its day, each publication on its day, and —
 * for staff — each one's reminders on the days the reminder jobs make them (lead days before), all within [from, to].
 */
export function itemsOf(
  data: CalendarItemsQuery | undefined,
  leads: Leads | null,
  from: string,
  to: string,
  t: TFunction,
  number: (n: number) => string,
  eventLabel: (type: string) => string,
): CalendarItem[] {
  if (!data) return [];
  const items: CalendarItem[] = [];
  const remind = (item: CalendarItem, days: number[]) => {
    for (const lead of days) {
      const on = addDays(item.day, -lead);
      if (lead > 0 && on >= from && on <= to) {
        items.push({ ...item, key: `${item.key}:r${lead}`, day: on, kind: 'REMINDER', of: item.kind, text: t('item.reminder', { count: lead, n: number(lead), text: item.text }) });
      }
    }
  };

  data.anniversaries.forEach((a, i) => {
    const text =
      a.kind === 'YEARLY'
        ? t('item.yearly', { count: a.years ?? 0, n: number(a.years ?? 0), event: eventLabel(a.caseEvent.type), title: a.case.title })
        : t('item.detention', { count: a.days ?? 0, n: number(a.days ?? 0), title: a.case.title });
    const item: CalendarItem = {
      key: `a:${a.case.id}:${a.caseEvent.id}:${a.victim?.id ?? ''}:${a.kind}:${a.date}:${i}`,
      day: a.date,
      kind: a.kind === 'YEARLY' ? 'YEARLY' : 'DETENTION_DAYS',
      text,
      href: path('cases', a.case.id),
      countries: [a.case.country.code],
      confidential: a.confidentiality !== 'PUBLIC',
    };
    items.push(item);
    if (leads) remind(item, [leads.anniversaryDays]);
  });

  data.deadlines.forEach((d, i) => {
    const subject = d.subject;
    const submission = subject.__typename === 'Submission' ? subject : null;
    const call = subject.__typename === 'CallForInput' ? subject : null;
    if (!submission && !call) return;
    const item: CalendarItem = {
      key: `d:${d.kind}:${(submission ?? call)!.id}:${d.date}:${i}`,
      day: d.date,
      kind: d.kind,
      text: t(`item.${d.kind}`, { title: (submission ?? call)!.title }),
      href: path('submissions', (submission ?? call)!.id),
      countries: submission ? [submission.country.code] : (call?.audience.map((c) => c.code) ?? []),
      confidential: (submission ?? call)!.confidentiality !== 'PUBLIC',
    };
    items.push(item);
    if (leads) remind(item, leads.deadlineDays);
  });

  (data.articles?.nodes ?? []).forEach((a) => {
    if (!a.publishAt) return;
    items.push({
      key: `p:${a.id}`,
      day: today(new Date(a.publishAt)),
      kind: 'PUBLICATION',
      text: t('item.PUBLICATION', { title: a.title }),
      href: path('news', a.id),
      countries: a.countries.map((c) => c.code),
      confidential: a.confidentiality !== 'PUBLIC',
      at: a.publishAt,
    });
  });

  return items
    .filter((item) => item.day >= from && item.day <= to)
    .sort((a, b) => a.day.localeCompare(b.day) || kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || a.text.localeCompare(b.text));
}

/** The filters of the URL applied (the anniversaries' countries are already filtered by the API). */
export function filtered(items: CalendarItem[], countries: string[], wanted: ItemKind[]): CalendarItem[] {
  return items.filter(
    (item) =>
      (wanted.length === 0 || wanted.includes(item.kind)) &&
      (countries.length === 0 || item.countries.some((c) => countries.includes(c))),
  );
}
