/**
 * Times in the console are China time (Asia/Shanghai, UTC+8 all year, no daylight saving) whatever
 * the browser's zone. The API speaks ISO 8601 instants; `<input type="datetime-local">` gives a
 * wall-clock value without a zone, which the console reads as +08:00.
 */
export const CHINA_ZONE = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant shown in China time, e.g. `2026/03/01 20:00` (zh-CN) or `01/03/2026, 20:00` (en-GB). */
export function formatChinaTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, {
    timeZone: CHINA_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/**
 * A `datetime-local` value (`2026-03-01T20:00` or with seconds) read as China time, as an ISO
 * instant in UTC (`2026-03-01T12:00:00.000Z`); undefined when it is not a real date and time.
 */
export function chinaInputToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  // Date.UTC rolls 02-30 over to 03-02: a value that does not come back as typed is not a date.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi) return undefined;
  return new Date(wall - CHINA_OFFSET_MS).toISOString();
}

/** An instant as the `datetime-local` value (`YYYY-MM-DDTHH:mm`) of its China wall-clock time. */
export function isoToChinaInput(iso: string | number | Date): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${String(iso)}`);
  const wall = new Date(t + CHINA_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${wall.getUTCFullYear()}-${p(wall.getUTCMonth() + 1)}-${p(wall.getUTCDate())}T${p(wall.getUTCHours())}:${p(wall.getUTCMinutes())}`;
}

/** The start a new show is offered: the next full hour in China time, at least 30 minutes ahead. */
export function defaultShowStart(now: number): string {
  const hour = 60 * 60 * 1000;
  return isoToChinaInput(Math.ceil((now + hour / 2) / hour) * hour);
}

/** The China wall-clock time of an instant as `HH:mm` (the per-minute chart's labels). */
export function formatChinaClock(iso: string | number): string {
  const t = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const wall = new Date(t + CHINA_OFFSET_MS);
  return `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
}
