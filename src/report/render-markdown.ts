// The Markdown report: the body GitHub issues, check runs and the dashboard use. Built from the
// templates in templates/ (as DEFAULT_TEMPLATES) and small section functions; every piece of
// cloud or state data is escaped by escape-markdown.ts before it reaches a template.
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { escapeMarkdown } from './escape-markdown.js';
import { truncate } from './format-value.js';
import { driftsSection } from './markdown/drifts-section.js';
import { notesSection } from './markdown/notes-section.js';
import { statusSection } from './markdown/status-section.js';
import { summarySection } from './markdown/summary-section.js';
import { unknownSection } from './markdown/unknown-section.js';
import { renderTemplate } from './render-template.js';
import type { ScanResult } from './types.js';

export interface MarkdownTemplates {
  /** The whole body: {{title}} {{status}} {{summary}} {{drifts}} {{unknown}} {{notes}}. */
  report: string;
  /** One drift: {{title}} {{resource}} {{changes}} {{facts}} {{fix}}. */
  drift: string;
}

export interface MarkdownOptions {
  /** Plain text (it is escaped); defaults to a count of drifts in the workspace. */
  title?: string;
  /** Show at most this many drifts, most severe first; the rest become an "and N more" line. */
  maxDrifts?: number;
  /** Templates other than the ones in templates/ (a surface with its own layout). */
  templates?: Partial<MarkdownTemplates>;
}

/** GitHub cuts issue and comment bodies at 65,536 characters; stay well below. */
export const MARKDOWN_LIMIT = 60_000;

const MAX_TITLE_LENGTH = 200;

export function renderMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const templates: MarkdownTemplates = {
    report: options.templates?.report ?? DEFAULT_TEMPLATES.report,
    drift: options.templates?.drift ?? DEFAULT_TEMPLATES.drift,
  };
  const maxDrifts = options.maxDrifts === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.maxDrifts));
  const values = {
    title: escapeMarkdown(truncate(options.title ?? defaultTitle(result), MAX_TITLE_LENGTH)),
    status: statusSection(result),
    summary: summarySection(result),
    unknown: unknownSection(result.unknown),
    notes: notesSection(result.notes),
  };
  const frame = renderTemplate(templates.report, { ...values, drifts: '' });
  const budget = MARKDOWN_LIMIT - frame.length - 4;
  const drifts = driftsSection(result.drifts, templates.drift, { budget, maxDrifts });
  const body = withFinalNewline(renderTemplate(templates.report, { ...values, drifts }));
  if (body.length <= MARKDOWN_LIMIT) return body;
  // Only a template that repeats {{drifts}} gets here: fall back to the frame and a count.
  return withFinalNewline(renderTemplate(templates.report, { ...values, drifts: driftsSection(result.drifts, templates.drift, { budget, maxDrifts: 0 }) })).slice(0, MARKDOWN_LIMIT);
}

function defaultTitle(result: ScanResult): string {
  const count = result.drifts.length;
  if (count === 0) return `driftwatch: no drift in ${result.workspace}`;
  return `driftwatch: ${count} ${count === 1 ? 'drift' : 'drifts'} in ${result.workspace}`;
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
