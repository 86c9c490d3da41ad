// Every diff driftwatch offers applies: in each output (text, JSON, Markdown, --patch-file), each
// `edit` diff passes `git apply --check` against the files it was made from, even when a .tf
// file writes a secret from the state literally (the outputs are scrubbed of secrets, so a diff
// that showed one would arrive altered).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkApplies, diffsIn } from '../patch/apply-check.js';
import { readTfFiles } from '../patch/helpers.js';
import { runCli, SHOP } from './run-cli.js';

const PASSWORD = 'demo-Orders-pw-8d3f';

/** The bundled example, with the database password written literally where `placement` says. */
function shopWithLiteralPassword(placement: 'apart' | 'after-drifted-line'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-outputs-'));
  cpSync(SHOP, dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const file = path.join(dir, 'database.tf');
  let text = readFileSync(file, 'utf8').replace('  password = var.db_password\n', placement === 'apart' ? `  password = "${PASSWORD}"\n` : '');
  if (placement === 'after-drifted-line') text = text.replace('  backup_retention_period = 7\n', `  backup_retention_period = 7\n  password                = "${PASSWORD}"\n`);
  writeFileSync(file, text);
  return dir;
}

async function outputs(dir: string, direction: 'restore' | 'accept') {
  const live = path.join(dir, 'live-inventory.json');
  const patchFile = path.join(dir, 'fix.diff');
  const args = ['scan', '--dir', dir, '--live', live, '--patch', direction, '--fail-on', 'none', '--quiet'];
  const text = await runCli([...args, '--patch-file', patchFile]);
  const json = await runCli([...args, '--format', 'json']);
  const markdown = await runCli([...args, '--format', 'markdown']);
  return { text: text.stdout, json: json.stdout, markdown: markdown.stdout, 'patch-file': readFileSync(patchFile, 'utf8') };
}

describe('every edit diff in every output applies', () => {
  it.each([
    ['apart from the edited lines', 'apart'],
    ['right after an edited line', 'after-drifted-line'],
  ] as const)('with the state password written literally %s, and none shows it', async (_label, placement) => {
    const dir = shopWithLiteralPassword(placement);
    const files = readTfFiles(dir).map((file) => ({ path: file.path, text: file.text }));
    for (const direction of ['restore', 'accept'] as const) {
      const rendered = await outputs(dir, direction);
      for (const [format, output] of Object.entries(rendered) as [keyof typeof rendered, string][]) {
        expect(output, `${direction} ${format}`).not.toContain(PASSWORD);
        const diffs = diffsIn(format, output);
        if (direction === 'accept') expect(diffs.length, `${direction} ${format}`).toBeGreaterThan(0);
        for (const diff of diffs) expect(() => checkApplies(files, diff), `${direction} ${format}:\n${diff}`).not.toThrow();
      }
      const db = (JSON.parse(rendered.json) as { drifts: { address: string | null; patch: { status: string; note: string } }[] }).drifts.find(
        (drift) => drift.address === 'aws_db_instance.orders',
      );
      if (direction === 'accept' && placement === 'after-drifted-line') {
        expect(db?.patch.status).toBe('explain');
        expect(db?.patch.note).toContain('database.tf:16');
        expect(db?.patch.note).toContain('sensitive = true');
      } else if (direction === 'accept') {
        expect(db?.patch.status).toBe('edit');
      }
    }
  });
});
