const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 minutes ago", "yesterday": for times a person compares with now. */
export function formatRelative(iso: string, now = Date.now()): string {
  let amount = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(amount) < 45) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return dateTime.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

const regionNames = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'none' });

export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

/** ISO 3166-1 alpha-2 codes this runtime can name, for country pickers. */
export function knownCountries(): { value: string; label: string }[] {
  const notCountries = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const countries: { value: string; label: string }[] = [];
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const name = regionNames.of(code);
      if (name && name !== code && !notCountries.has(code))
        countries.push({ value: code, label: name });
    }
  }
  return countries.sort((a, b) => a.label.localeCompare(b.label));
}
