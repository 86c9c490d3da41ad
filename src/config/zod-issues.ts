// One way to word validation errors: the file, the field, what is wrong.
import type { z } from 'zod';

/** One problem with one field, its path as in the file (keys and list indexes). */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

export function describeIssues(source: string, error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const field = issue.path.length > 0 ? fieldName(issue.path) : '(top level)';
    return `  ${field}: ${issue.message}`;
  });
  const more = error.issues.length > limit ? `\n  …and ${error.issues.length - limit} more` : '';
  return `${source} is not valid:\n${lines.join('\n')}${more}`;
}

/** `workspaces[0].regions[1]` */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${String(step)}`)).join('').replace(/^\./, '');
}

/**
 * Issues as a person fixes them: an unknown key is its own field; a value that may take one of
 * several shapes (a union) reports the problems of the shape it was written in, not "invalid
 * input".
 */
export function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((step) => (typeof step === 'number' ? step : String(step)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown key: check its spelling and where it is nested (docs/configuration.md lists every key)' });
      continue;
    }
    if (issue.code === 'invalid_union') {
      const branch = closestBranch(issue.errors);
      if (branch) {
        out.push(...flattenIssues(branch, path));
        continue;
      }
    }
    if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) {
      out.push({ path, message: `required: add ${String(path.at(-1) ?? 'it')} (${issue.expected})` });
      continue;
    }
    out.push({ path, message: issue.message });
  }
  return out;
}

/** The one shape the value got furthest into (its problems are all inside it), else the one
 * shape of the value's type; null when that is ambiguous. */
function closestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | null {
  const inside = branches.filter((branch) => branch.every((issue) => issue.path.length > 0));
  if (inside.length === 1) return inside[0]!;
  const sameType = branches.filter((branch) => !branch.some((issue) => issue.path.length === 0 && issue.code === 'invalid_type'));
  return sameType.length === 1 ? sameType[0]! : null;
}
