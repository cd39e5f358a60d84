import { useTranslation } from 'react-i18next';

/** Dates, numbers and country names in the person's language, from the browser's Intl (no data shipped). */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return {
    locale,
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    date: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(typeof value === 'string' ? new Date(value) : value),
    dateTime: (value: string | Date) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
        typeof value === 'string' ? new Date(value) : value,
      ),
    /** A country's name from its ISO 3166-1 alpha-2 code; the code itself when the browser does not know it. */
    country: (alpha2: string) => {
      try {
        return new Intl.DisplayNames([locale], { type: 'region' }).of(alpha2.toUpperCase()) ?? alpha2;
      } catch {
        return alpha2;
      }
    },
  };
}
