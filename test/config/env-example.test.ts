// .env.example lists every environment variable driftwatch's own code reads, so an operator
// finds each one there (Probot's own are documented by Probot; the common ones are listed too).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_SERVICES } from '../../src/aws/settings.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Names read as env.NAME / env['NAME'], or written as 'AWS_…' / 'DRIFTWATCH_…' / 'NO_COLOR'
 * string constants; a name built from a template is expanded (AWS_ENDPOINT_URL_<SERVICE>). */
function namesReadBySource(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(match[1] as string);
    for (const match of text.matchAll(/['`]((?:AWS|DRIFTWATCH)_[A-Z0-9_]+|NO_COLOR)['`]/g)) names.add(match[1] as string);
    if (text.includes('AWS_ENDPOINT_URL_${')) for (const service of AWS_SERVICES) names.add(`AWS_ENDPOINT_URL_${service.toUpperCase()}`);
  }
  return names;
}

describe('.env.example', () => {
  it('lists every variable the code reads', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1] as string));
    const read = namesReadBySource();
    expect(read.size).toBeGreaterThan(8);
    // A name read as a prefix (DRIFTWATCH_SLACK_WEBHOOK_<CHANNEL>) is listed by an example of it.
    const isListed = (name: string) => (name.endsWith('_') ? [...listed].some((entry) => entry.startsWith(name)) : listed.has(name));
    expect([...read].filter((name) => !isListed(name)).sort()).toEqual([]);
  });
});
