// The failed "driftwatch config" check run for a .github/driftwatch.yml that cannot be used: each
// problem names the file, the line and the field, on the commit that brought it. No scan runs
// until it is fixed.
import { codeSpan, escapeMarkdown } from '../report/escape-markdown.js';
import { truncate } from '../report/format-value.js';
import { fitMarkdown } from './fit-markdown.js';
import { ANNOTATION_BYTES_LIMIT, ANNOTATION_TITLE_LIMIT, CHECK_TEXT_LIMIT, CHECK_TITLE_LIMIT } from './limits.js';
import { plainText, truncateBytes } from './plain-text.js';
import type { Annotation, DesiredCheckRun } from './types.js';

export interface ConfigProblem {
  /** Repository-relative path: `.github/driftwatch.yml`. */
  file: string;
  /** 1-based line of the offending key or value; null when the problem has no one line (a
   * missing key, a file that is not YAML at all). */
  line: number | null;
  /** The field's path, `workspaces[0].schedule`; null for the file as a whole. */
  field: string | null;
  /** What is wrong and what to write instead. */
  message: string;
}

const MAX_LISTED = 50;

/** The configuration file holds no state secret: nothing to scrub. */
function unchanged(text: string): string {
  return text;
}

export function configCheckRun(input: { headSha: string; errors: readonly ConfigProblem[] }): DesiredCheckRun {
  const files = [...new Set(input.errors.map((error) => error.file))];
  const count = input.errors.length;
  const subject = files.length === 1 ? (files[0] ?? '.github/driftwatch.yml') : `${files.length} configuration files`;
  const title = `${subject} is not valid: ${count} ${count === 1 ? 'problem' : 'problems'}`;
  const items = input.errors.slice(0, MAX_LISTED).map((error) => `- ${codeSpan(where(error))}${error.field === null ? '' : ` ${codeSpan(error.field)}`}: ${escapeMarkdown(truncate(error.message, 1_000))}`);
  if (count > MAX_LISTED) items.push(`- …and ${count - MAX_LISTED} more`);
  const summary = [
    `❌ **driftwatch cannot read its configuration**, so no scan runs until it is fixed.`,
    '',
    ...items,
  ].join('\n');
  const text = [
    `Fix ${files.length === 1 ? 'the file' : 'the files'} and push: driftwatch reads the configuration again on the next push and scans as soon as it is valid.`,
    '',
    `The keys and their values are described in ${codeSpan('docs/configuration.md')}.`,
  ].join('\n');
  return {
    name: 'driftwatch config',
    headSha: input.headSha,
    conclusion: 'failure',
    output: {
      title: truncate(plainText(title, unchanged, { singleLine: true }), CHECK_TITLE_LIMIT),
      summary: fitMarkdown(summary, CHECK_TEXT_LIMIT, '_…the list was cut to fit GitHub\'s limit._'),
      text,
    },
    annotations: input.errors.map(annotation),
    actions: [],
  };
}

function where(error: ConfigProblem): string {
  return error.line === null ? error.file : `${error.file}:${error.line}`;
}

function annotation(error: ConfigProblem): Annotation {
  // GitHub needs a line: a problem of the whole file goes on its first.
  const line = error.line ?? 1;
  return {
    path: error.file,
    start_line: line,
    end_line: line,
    annotation_level: 'failure',
    title: truncate(plainText(error.field === null ? 'Invalid driftwatch configuration' : `Invalid ${error.field}`, unchanged, { singleLine: true }), ANNOTATION_TITLE_LIMIT),
    message: truncateBytes(plainText(error.message, unchanged), ANNOTATION_BYTES_LIMIT),
  };
}
