// Terraform 0.11 and older stored attributes as a "flatmap" (`tags.%`, `ingress.#`,
// `ingress.1234567.from_port`). Some version 4 states still carry that shape in
// `attributes_flat` for resources that were never refreshed by a newer provider. Turning it back
// into nested values lets the diff compare it like any other resource.

type Entry = [relativeKey: string, value: string];

/**
 * Converts flatmap attributes to nested objects and lists: `.#` marks a list (numeric indexes and
 * set hashes are its elements, in numeric order), `.%` marks a map whose keys may contain dots.
 * Values stay strings, except "true"/"false" which become booleans.
 */
export function unflattenAttributes(flat: Record<string, unknown>): Record<string, unknown> {
  const entries: Entry[] = [];
  for (const key of Object.keys(flat)) {
    const value = flat[key];
    entries.push([key, typeof value === 'string' ? value : String(value)]);
  }
  return buildObject(entries);
}

function scalar(value: string): string | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Groups entries by their first dot-separated segment, keeping first-seen order. */
function groupByFirstSegment(entries: Entry[]): Map<string, { direct: string | undefined; nested: Entry[] }> {
  const groups = new Map<string, { direct: string | undefined; nested: Entry[] }>();
  for (const [key, value] of entries) {
    const dot = key.indexOf('.');
    const head = dot === -1 ? key : key.slice(0, dot);
    let group = groups.get(head);
    if (!group) {
      group = { direct: undefined, nested: [] };
      groups.set(head, group);
    }
    if (dot === -1) group.direct = value;
    else group.nested.push([key.slice(dot + 1), value]);
  }
  return groups;
}

function buildValue(direct: string | undefined, nested: Entry[]): unknown {
  if (nested.length === 0) return direct === undefined ? null : scalar(direct);
  if (nested.some(([key]) => key === '#')) return buildList(nested);
  if (nested.some(([key]) => key === '%')) return buildMap(nested);
  return buildObject(nested);
}

function buildObject(entries: Entry[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [head, group] of groupByFirstSegment(entries)) out[head] = buildValue(group.direct, group.nested);
  return out;
}

function buildList(entries: Entry[]): unknown[] {
  const groups = groupByFirstSegment(entries.filter(([key]) => key !== '#'));
  const heads = [...groups.keys()];
  // Set hashes and list indexes are both digit strings; numeric order keeps list order and gives
  // sets a stable one. Anything else (a computed "~123" hash) keeps the order it was written in.
  if (heads.every((head) => /^[0-9]+$/.test(head))) heads.sort((a, b) => Number(a) - Number(b));
  return heads.map((head) => {
    const group = groups.get(head)!;
    return buildValue(group.direct, group.nested);
  });
}

function buildMap(entries: Entry[]): Record<string, unknown> {
  // Map keys may contain dots (`tags.kubernetes.io/role`), so the key is everything after the
  // map's prefix, unless the entry belongs to a nested container announced by its own `.#`/`.%`.
  const containers: string[] = [];
  for (const [key] of entries) {
    if (key.endsWith('.#') || key.endsWith('.%')) containers.push(key.slice(0, -2));
  }
  const out: Record<string, unknown> = {};
  const nested = new Map<string, Entry[]>();
  for (const [key, value] of entries) {
    if (key === '%') continue;
    const container = containers.find((name) => key.startsWith(`${name}.`));
    if (container === undefined) {
      out[key] = scalar(value);
      continue;
    }
    let list = nested.get(container);
    if (!list) {
      list = [];
      nested.set(container, list);
    }
    list.push([key.slice(container.length + 1), value]);
  }
  for (const [container, list] of nested) out[container] = buildValue(undefined, list);
  return out;
}
