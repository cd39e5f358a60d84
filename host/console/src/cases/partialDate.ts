/**
 * Dates of the case desk. A case event's date is a PartialDate (2024, 2024-03 or 2024-03-05): it is shown to the
 * precision it was recorded with ("2024", "March 2024", "5 Mar 2024" per locale) — never with an invented day.
 * Dates are calendar days: formatted in UTC so that no time zone moves them by a day.
 */
export function formatPartialDate(value: string, locale: string): string {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (!match) {
    return value;
  }
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), m ? Number(m) - 1 : 0, d ? Number(d) : 1));
  const options: Intl.DateTimeFormatOptions = d
    ? { dateStyle: 'medium', timeZone: 'UTC' }
    : m
      ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
      : { year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** A Date scalar (YYYY-MM-DD) as a calendar day in the person's language. */
export function formatDay(value: string, locale: string): string {
  return formatPartialDate(value, locale);
}

/** True for YYYY, YYYY-MM or YYYY-MM-DD (the API checks the rest: a real day, not in the future). */
export function isPartialDate(value: string): boolean {
  return /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(value.trim());
}
