// One drift, through the drift template.
import { escapeMarkdown } from '../escape-markdown.js';
import { truncate } from '../format-value.js';
import { renderTemplate } from '../render-template.js';
import type { ReportDrift } from '../types.js';
import { changesTable } from './changes-table.js';
import { factsList } from './facts-list.js';
import { fixSection } from './fix-section.js';
import { resourceLine } from './resource-line.js';

const MAX_TITLE_LENGTH = 200;

export function driftSection(drift: ReportDrift, template: string, options: { showDiff: boolean }): string {
  return renderTemplate(template, {
    title: escapeMarkdown(truncate(drift.title, MAX_TITLE_LENGTH)),
    resource: resourceLine(drift),
    changes: changesTable(drift.kind, drift.changes),
    facts: factsList(drift),
    fix: fixSection(drift.patch, options),
  }).trimEnd();
}
