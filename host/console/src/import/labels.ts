import { useFormat } from '../i18n/format';

/** Seconds as "1 h 5 min", "3 min 20 s", "12 s" in the person's language (Intl units, no text shipped). */
export function useDuration() {
  const { locale } = useFormat();
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  return (seconds: number) => {
    const total = Math.max(0, Math.round(seconds));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h > 0) return `${unit(h, 'hour')} ${unit(m, 'minute')}`;
    if (m > 0) return `${unit(m, 'minute')} ${unit(s, 'second')}`;
    return unit(s, 'second');
  };
}

/** The file types the import reads, by extension (the API reads the content; this only guides the choice). */
export const acceptedExtensions = ['.csv', '.xlsx', '.json', '.ndjson', '.jsonl'];

export const runFinished = (status: string) => status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED';

/** Filled badges in shades dark enough for white text (WCAG AA), as the case desk's. */
export const statusColor: Record<string, string> = {
  QUEUED: 'gray.8',
  RUNNING: 'blue.9',
  SUCCEEDED: 'teal.9',
  FAILED: 'red.9',
  CANCELLED: '#9c3d00',
};
