/** A calendar date (yyyy-MM-dd) of the browser's calendar: what the API's Date arguments take. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The periods the dashboard counts in, from the browser's calendar: this month, this year, the next 30 days. */
export function periods(now = new Date()) {
  const y = now.getFullYear();
  const m = now.getMonth();
  return {
    monthStart: isoDate(new Date(y, m, 1)),
    monthEnd: isoDate(new Date(y, m + 1, 0)),
    yearStart: isoDate(new Date(y, 0, 1)),
    yearEnd: isoDate(new Date(y, 11, 31)),
    today: isoDate(now),
    in30Days: isoDate(new Date(y, m, now.getDate() + 30)),
  };
}

/** A calendar date (yyyy-MM-dd) in the person's language, never shifted by the time zone. */
export function formatCalendarDate(locale: string, value: string, style: 'medium' | 'long' = 'medium'): string {
  const [y, m, d] = value.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1)));
}

/** True under automation (Playwright, WebDriver): charts then draw without animation, for stable screenshots. */
export const underTest = typeof navigator !== 'undefined' && navigator.webdriver === true;
