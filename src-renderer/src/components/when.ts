// Dates and times as the app shows them: local time, year first, 24-hour ("2026-11-29 14:05"), the same on every
// machine whatever its locale, and without Intl: the first Intl date format in a renderer costs 15-20 ms (ICU's locale
// data), which the Sites table, the first screen, would pay at every start (`npm run bench`).
const pad = (n: number) => String(n).padStart(2, '0');

function parse(iso: string | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2026-11-29"; '' for nothing; the text itself when it is not a date. */
export function day(iso?: string): string {
  const d = parse(iso);
  if (!d) return iso ?? '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2026-11-29 14:05"; '' for nothing; the text itself when it is not a date. */
export function when(iso?: string): string {
  const d = parse(iso);
  if (!d) return iso ?? '';
  return `${day(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
