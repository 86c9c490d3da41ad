// The one template function: Markdown files in templates/ with named placeholders.
import { DriftwatchError } from '../errors.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g;
const STANDALONE = /^\s*\{\{\s*([A-Za-z][\w-]*)\s*\}\}\s*$/;

/**
 * Replaces every `{{name}}` with `values[name]`, verbatim (callers escape first) and in one
 * pass, so a value that itself contains `{{x}}` is never expanded. A placeholder with no value
 * throws: a typo in a template must not ship an empty section.
 *
 * A placeholder alone on its line whose value is '' removes that line, and a blank line after
 * it when it stood between blank lines, so optional sections leave no gaps.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const lines = template.split('\n');
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const standalone = STANDALONE.exec(line);
    if (standalone !== null && valueOf(values, standalone[1] ?? '') === '') {
      const previousBlank = out.length === 0 || out[out.length - 1] === '';
      if (previousBlank && lines[index + 1] === '') index += 1;
      continue;
    }
    out.push(line.replace(PLACEHOLDER, (_match, name: string) => valueOf(values, name)));
  }
  return out.join('\n');
}

function valueOf(values: Record<string, string>, name: string): string {
  if (!Object.hasOwn(values, name)) {
    throw new DriftwatchError(
      'config',
      `The template uses the placeholder {{${name}}}, which has no value. Known placeholders: ${Object.keys(values).map((key) => `{{${key}}}`).join(', ')}. Fix the name in the template.`,
    );
  }
  return values[name] ?? '';
}
