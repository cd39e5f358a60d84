/**
 * Publication times are chosen and shown in Geneva time (Europe/Zurich), whatever the browser's own time zone:
 * the organisation publishes from Geneva. Only the browser's Intl is used (its time-zone database).
 */
export const genevaZone = 'Europe/Zurich';

/** The parts of an instant's wall-clock time in Geneva. */
function genevaParts(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: genevaZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** An instant as Geneva's wall-clock time, `YYYY-MM-DD HH:mm:ss` (the date-time input's value). */
export function toGenevaWallTime(instant: Date): string {
  const p = genevaParts(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/**
 * The instant at which Geneva's clocks show `YYYY-MM-DD HH:mm[:ss]`; null when malformed. The offset is found by
 * asking what Geneva shows at a first guess and correcting (twice, for the days the clocks change).
 */
export function fromGenevaWallTime(wall: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim());
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wanted = Date.UTC(year, month - 1, day, hour, minute, second);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = genevaParts(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** An instant in Geneva time in the person's language, e.g. "6 Dec 2026, 10:15:30". */
export function formatGeneva(instant: string | Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: genevaZone, dateStyle: 'medium', timeStyle: 'medium' }).format(
    typeof instant === 'string' ? new Date(instant) : instant,
  );
}
