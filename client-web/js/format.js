// Durations and points in time in the reader's language, with the browser's Intl (no strings of
// our own: the numbers, units and month names come from the locale data of the browser).

function withFallback(locale, make) {
  try {
    return make(locale);
  } catch {
    return make('en');
  }
}

// "9 minutes", "2 hours" in `locale`, rounded the way a person would say it: whole minutes up
// to an hour and a half, then whole hours. Used after "about".
export function formatDuration(seconds, locale) {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const [value, unit] = minutes < 90 ? [minutes, 'minute'] : [Math.round(minutes / 60), 'hour'];
  return withFallback(locale, (tag) =>
    new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'long' }).format(value));
}

// "20 seconds", "1 second" in `locale` (the plural forms come from the browser's locale data).
export function formatSeconds(seconds, locale) {
  return withFallback(locale, (tag) =>
    new Intl.NumberFormat(tag, { style: 'unit', unit: 'second', unitDisplay: 'long' })
      .format(seconds));
}

// "Wednesday 2 December 09:00" in `locale`, in the browser's time zone.
export function formatDateTime(date, locale) {
  return withFallback(locale, (tag) => new Intl.DateTimeFormat(tag, {
    weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit',
  }).format(date));
}

// "1:35" (minutes:seconds) for a wait; "1:02:05" past an hour.
export function formatClock(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
