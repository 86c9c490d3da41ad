// Things worth knowing that are not drift.
import { escapeMarkdown } from '../escape-markdown.js';
import { truncate } from '../format-value.js';

const MAX_ITEMS = 20;
const MAX_NOTE_LENGTH = 400;

export function notesSection(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  const items = notes.slice(0, MAX_ITEMS).map((note) => `- ${escapeMarkdown(truncate(note, MAX_NOTE_LENGTH))}`);
  if (notes.length > MAX_ITEMS) items.push(`- _…and ${notes.length - MAX_ITEMS} more notes._`);
  return ['### Notes', '', ...items].join('\n');
}
