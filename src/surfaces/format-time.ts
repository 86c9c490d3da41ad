// Times as people read them on GitHub: `2025-05-02 09:30 UTC`.

/** An ISO time as `YYYY-MM-DD HH:MM UTC`; text that is not a time is returned as it is (callers
 * escape it). */
export function formatTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2025-05-02`. */
export function formatDate(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 10);
}
