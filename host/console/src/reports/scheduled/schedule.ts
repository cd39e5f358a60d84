import type { TFunction } from 'i18next';
import type { ReportFormat, ReportLanguage, ReportRunStatus } from '../../gql/graphql';

/** The formats a definition may ask for (the API's ReportFormat), in the order the editor offers them. */
export const reportFormats: ReportFormat[] = ['CSV', 'XLSX', 'HTML', 'PDF'];

export const reportLanguages: ReportLanguage[] = ['EN', 'FR', 'ES'];

/** Filled badges dark enough for white text (WCAG AA). */
export const runStatusColor: Record<ReportRunStatus, string> = {
  RUNNING: 'blue.9',
  SUCCEEDED: 'teal.9',
  RETRYING: '#9c3d00',
  FAILED: 'red.9',
  REFUSED: 'gray.8',
};

/** Quick choices for the cron field: every day, every Monday, the 1st of each month, at 08:00. */
export const cronPresets = [
  { key: 'daily', cron: '0 0 8 * * ?' },
  { key: 'weekly', cron: '0 0 8 ? * MON' },
  { key: 'monthly', cron: '0 0 8 1 * ?' },
] as const;

/** The IANA zones the browser knows (Europe/Zurich among them), and the given one if it does not. */
export function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Europe/Zurich', 'UTC'];
  const all = new Set(known);
  all.add('UTC');
  if (current) all.add(current);
  return [...all].sort();
}

/** A fire time in the definition's zone, in the person's language: "Monday 14 December 2026 at 08:00". */
export function formatFire(locale: string, value: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(value));
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(value));
  }
}

const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A Quartz day of week (MON, 2 = Monday) as its name in the language; null when it is not one. */
function weekday(locale: string, token: string): string | null {
  const index = /^[1-7]$/.test(token) ? Number(token) - 1 : dayNames.indexOf(token.toUpperCase());
  // 2023-01-01 was a Sunday.
  return index < 0 ? null : new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + index)));
}

/** The days of a day-of-week field (MON, MON-FRI, MON,WED) in the language; null when it is anything else. */
function weekdays(locale: string, field: string): string[] | null {
  const days: string[] = [];
  for (const part of field.split(',')) {
    const range = part.split('-');
    if (range.length === 2) {
      const from = /^[1-7]$/.test(range[0]!) ? Number(range[0]) - 1 : dayNames.indexOf(range[0]!.toUpperCase());
      const to = /^[1-7]$/.test(range[1]!) ? Number(range[1]) - 1 : dayNames.indexOf(range[1]!.toUpperCase());
      if (from < 0 || to < from) return null;
      for (let i = from; i <= to; i++) days.push(weekday(locale, dayNames[i]!)!);
    } else {
      const name = weekday(locale, part);
      if (!name) return null;
      days.push(name);
    }
  }
  return days;
}

/**
 * A schedule in words in the person's language — on demand, every day, every Monday (and Wednesday), the 1st or the
 * last day of each month, at a time — or the cron itself when it says something else. The time is the zone's.
 */
export function scheduleInWords(t: TFunction, locale: string, cron: string | null | undefined): string {
  if (!cron || !cron.trim()) return t('scheduled.words.onDemand');
  const fields = cron.trim().split(/\s+/);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek, year] = fields;
  const plain = fields.length >= 6 && second === '0' && /^\d{1,2}$/.test(minute ?? '') && /^\d{1,2}$/.test(hour ?? '') && month === '*' && (!year || year === '*');
  if (!plain) return t('scheduled.words.cron', { cron });
  const time = `${hour!.padStart(2, '0')}:${minute!.padStart(2, '0')}`;
  if ((dayOfMonth === '*' || dayOfMonth === '?') && (dayOfWeek === '*' || dayOfWeek === '?')) {
    return t('scheduled.words.daily', { time });
  }
  if (dayOfMonth === '?' && dayOfWeek) {
    const days = weekdays(locale, dayOfWeek);
    if (days) return t('scheduled.words.weekly', { days: new Intl.ListFormat(locale, { type: 'conjunction' }).format(days), time });
  }
  if (dayOfWeek === '?' && /^\d{1,2}$/.test(dayOfMonth ?? '')) return t('scheduled.words.monthly', { day: Number(dayOfMonth), time });
  if (dayOfWeek === '?' && dayOfMonth === 'L') return t('scheduled.words.lastDay', { time });
  return t('scheduled.words.cron', { cron });
}

/** A run's duration in the person's language: "850 ms", "12.4 s", "3.2 min". */
export function formatDuration(locale: string, ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const [unit, value] = ms < 1000 ? (['millisecond', ms] as const) : ms < 60_000 ? (['second', ms / 1000] as const) : (['minute', ms / 60_000] as const);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** A JSON object (a definition's variables) indented for reading; the text as it is when it does not parse. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
