// hcl2-parser (HashiCorp's HCL parser compiled to JavaScript) as the independent second reader of
// every patched text: tree-sitter finds the places to edit, hcl2-parser says what the result
// means. Loading it costs about half a second, so it is loaded on first use. The patch engine
// reads through an Hcl2Reader: in this thread, or in a worker thread (hcl2-worker.ts) so that
// verification runs beside the planning of the next drifts.
import { createRequire } from 'node:module';

interface Hcl2Module {
  parseToObject(input: string): unknown;
}

/** A parsed body: blocks as arrays of objects, expressions as "${...}". */
export type Hcl2Body = Record<string, unknown>;

/** Reads HCL texts with hcl2-parser, each on its own. */
export interface Hcl2Reader {
  /** Per text, the body as hcl2-parser reads it, or null when it does not parse. */
  parse(texts: readonly string[]): Promise<(Hcl2Body | null)[]>;
}

let hcl2: Hcl2Module | null = null;

/** Where hcl2-parser's module is, for a worker thread to load it. */
export function hcl2ParserPath(): string {
  return createRequire(import.meta.url).resolve('hcl2-parser');
}

/** The body as hcl2-parser reads it, or null when it does not parse (the parser's error carries
 * no message). */
export function parseHcl2(text: string): Hcl2Body | null {
  hcl2 ??= createRequire(import.meta.url)('hcl2-parser') as Hcl2Module;
  let result: unknown;
  try {
    result = hcl2.parseToObject(text);
  } catch {
    // A panic inside the compiled Go parser: the text is not something it can read.
    return null;
  }
  return hcl2Body(result);
}

/** parseToObject's answer ([value, error]) as a body, or null when it reports an error. */
export function hcl2Body(result: unknown): Hcl2Body | null {
  if (!Array.isArray(result)) return null;
  const [value, error] = result as [unknown, unknown];
  if (error !== null && error !== undefined) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value as Hcl2Body;
}

/** parseHcl2 of every text, in this thread. */
export function parseHcl2Texts(texts: readonly string[]): (Hcl2Body | null)[] {
  return texts.map(parseHcl2);
}

/** Reads in this thread (tests, and the fallback when a worker thread cannot run). */
export const inThreadHcl2Reader: Hcl2Reader = {
  parse: (texts) => Promise.resolve(parseHcl2Texts(texts)),
};
