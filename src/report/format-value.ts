// One compact spelling of an attribute value, shared by the text, Markdown and SARIF renderers.

/** `(absent)` for null/undefined, strings as they are (`""` when empty), JSON for the rest;
 * cut to `maxLength` characters with an ellipsis. The result is not yet escaped. */
export function formatValue(value: unknown, maxLength = Number.POSITIVE_INFINITY): string {
  return truncate(spell(value), maxLength);
}

function spell(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** Cuts on code points, so an emoji in a tag value is never split in half. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const points = Array.from(text);
  if (points.length <= maxLength) return text;
  return `${points.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
}
