// Which lines of a configuration file hold a secret from the state (a password written as a
// literal): every report scrubs such values, so a diff that showed one would reach the reader
// altered and no longer apply. The diffs keep these lines out; where they cannot, the edit is
// not offered (secretNote says why and what to do).
import { quoteString } from './render-hcl.js';
import type { BlockedLine } from './unified-diff.js';

/** Shorter fragments of a multi-line secret would match ordinary lines. */
const MIN_FRAGMENT = 6;

/** A test for lines that show any of the secrets: as written, JSON-escaped (as the scrubber also
 * looks for it), HCL-escaped (as a .tf file writes it), or one line of a multi-line secret. */
export function secretLineTest(secrets: readonly string[]): (line: string) => boolean {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
    needles.add(quoteString(secret).slice(1, -1));
    if (secret.includes('\n')) {
      for (const part of secret.split(/\r?\n/)) if (part.trim().length >= MIN_FRAGMENT) needles.add(part.trim());
    }
  }
  if (needles.size === 0) return () => false;
  const list = [...needles];
  return (line) => list.some((needle) => line.includes(needle));
}

/** Why an edit is not offered when its diff cannot leave a secret's line out, and what to do. */
export function secretNote(path: string, blocked: BlockedLine, text: string): string {
  if (blocked.side === 'after') {
    return `The edit is not offered: it would write a value that is also a secret in the Terraform state (${path}), and reports never show secrets, so its diff would not apply as shown. Make this change by hand.`;
  }
  const line = text.split('\n')[blocked.line - 1] ?? '';
  const name = /^\s*"?([A-Za-z_][A-Za-z0-9_-]*)"?\s*[=:]/.exec(line)?.[1] ?? null;
  const variable = name ?? 'secret';
  const what = name ? `the \`${name}\` literal` : 'a literal';
  return (
    `The edit is not offered: its diff would have to show ${path}:${blocked.line}, where ${what} holds a secret from the Terraform state. ` +
    `Reports never show secrets, and a diff with that line hidden would not apply. ` +
    `Move the value into a variable marked \`sensitive = true\` (set it from your secret store or TF_VAR_${variable}), write \`var.${variable}\` in its place, then patch again.`
  );
}
