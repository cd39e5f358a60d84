/** Calendar days as yyyy-MM-dd strings, computed in UTC so that no time zone ever shifts a day. */

export function parseDay(value: string): Date {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1));
}

export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(value: string, days: number): string {
  const date = parseDay(value);
  date.setUTCDate(date.getUTCDate() + days);
  return day(date);
}

export function addMonths(value: string, months: number): string {
  const date = parseDay(value);
  return day(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}

export function monthStart(value: string): string {
  return `${value.slice(0, 7)}-01`;
}

export function monthEnd(value: string): string {
  const date = parseDay(value);
  return day(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

/** The Monday of the week of this day (weeks run Monday to Sunday, as in Geneva). */
export function weekStart(value: string): string {
  const weekday = (parseDay(value).getUTCDay() + 6) % 7;
  return addDays(value, -weekday);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parseDay(to).getTime() - parseDay(from).getTime()) / 86_400_000);
}

/** Every day from `from` to `to`, both included. */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** Today in the browser's calendar. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isDay(value: string | null): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(parseDay(value).getTime()) && day(parseDay(value)) === value;
}

/** A day in the person's language (UTC: never shifted). */
export function formatDay(locale: string, value: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(parseDay(value));
}
