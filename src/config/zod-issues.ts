// One way to word validation errors: the file, the field, what is wrong.
import type { z } from 'zod';

export function describeIssues(source: string, error: z.ZodError, limit = 5): string {
  const lines = error.issues.slice(0, limit).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${String(step)}`)).join('').replace(/^\./, '') : '(top level)';
    return `  ${field}: ${issue.message}`;
  });
  const more = error.issues.length > limit ? `\n  …and ${error.issues.length - limit} more` : '';
  return `${source} is not valid:\n${lines.join('\n')}${more}`;
}
