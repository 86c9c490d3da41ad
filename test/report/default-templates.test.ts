// templates/*.md are the editable source of the Markdown templates; the report core does no
// I/O, so it reads them as the constants in src/report/default-templates.ts. This test is the
// generator: it fails when the constants and the files differ, and
// `npx vitest run test/report/default-templates.test.ts -u` rewrites the constants.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../src/report/default-templates.js';

const TEMPLATES_DIR = new URL('../../templates/', import.meta.url);

function templateFiles(): { key: string; text: string }[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({
      key: name.slice(0, -'.md'.length).replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
      text: readFileSync(new URL(name, TEMPLATES_DIR), 'utf8'),
    }));
}

function generatedSource(): string {
  const entries = templateFiles().map(({ key, text }) => `  ${key}: ${JSON.stringify(text)},`);
  return [
    '// Generated from templates/*.md by test/report/default-templates.test.ts, which fails when the',
    '// two differ: edit the .md files, then run',
    '// `npx vitest run test/report/default-templates.test.ts -u`. The report core does no I/O, so',
    '// the templates reach it as these constants.',
    'export const DEFAULT_TEMPLATES = {',
    ...entries,
    '} as const;',
    '',
  ].join('\n');
}

describe('default templates', () => {
  it('src/report/default-templates.ts is what templates/*.md generate', async () => {
    await expect(generatedSource()).toMatchFileSnapshot('../../src/report/default-templates.ts');
  });

  it('holds every template file, character for character', () => {
    const files = templateFiles();
    // Keys sort differently from file names (`issue-drift.md` < `issue.md`, `issue` < `issueDrift`).
    expect(Object.keys(DEFAULT_TEMPLATES).sort()).toEqual(files.map((file) => file.key).sort());
    for (const { key, text } of files) expect(DEFAULT_TEMPLATES[key as keyof typeof DEFAULT_TEMPLATES]).toBe(text);
  });
});
