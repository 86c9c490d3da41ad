// Values of HCL text through hcl2-parser (HashiCorp's HCL compiled to JavaScript): blocks come
// back as arrays, expressions as "${...}" strings. The library takes most of a second to load,
// so it is loaded on first use rather than by every import of the terraform module.
import { createRequire } from 'node:module';

interface Hcl2Parser {
  parseToObject(text: string): [unknown, unknown];
}

let hcl2: Hcl2Parser | undefined;

/** The object hcl2-parser makes of the text, or null when it rejects it (it gives no reason). */
export function readHclValues(text: string): Record<string, unknown> | null {
  hcl2 ??= createRequire(import.meta.url)('hcl2-parser') as Hcl2Parser;
  try {
    const [value, error] = hcl2.parseToObject(text);
    if (error || value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return value as Record<string, unknown>;
  } catch {
    // A panic inside the Go runtime surfaces as a JavaScript exception: same meaning, no values.
    return null;
  }
}
