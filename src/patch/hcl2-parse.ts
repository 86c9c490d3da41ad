// hcl2-parser (HashiCorp's HCL parser compiled to JavaScript) as the independent second reader of
// every patched text: tree-sitter finds the places to edit, hcl2-parser says what the result
// means. Loading it costs about half a second, so it is loaded on first use (or up front by
// loadPatchEngine).
import { createRequire } from 'node:module';

interface Hcl2Module {
  parseToObject(input: string): unknown;
}

let hcl2: Hcl2Module | null = null;

export function loadHcl2Parser(): void {
  if (hcl2 !== null) return;
  const require = createRequire(import.meta.url);
  hcl2 = require('hcl2-parser') as Hcl2Module;
}

/** The body as hcl2-parser reads it (blocks as arrays of objects, expressions as "${...}"), or
 * null when it does not parse (the parser's error carries no message). */
export function parseHcl2(text: string): Record<string, unknown> | null {
  loadHcl2Parser();
  const result = (hcl2 as Hcl2Module).parseToObject(text);
  if (!Array.isArray(result)) return null;
  const [value, error] = result as [unknown, unknown];
  if (error !== null && error !== undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value as Record<string, unknown>;
}
