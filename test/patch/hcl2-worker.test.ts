// hcl2-parser in a worker thread: the same answers as in this thread, each request its own, and
// nothing lost when the worker cannot run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inThreadHcl2Reader } from '../../src/patch/hcl2-parse.js';
import type { Hcl2WorkerReader } from '../../src/patch/hcl2-worker.js';
import { startHcl2Worker } from '../../src/patch/hcl2-worker.js';

const TEXTS = [
  'resource "aws_instance" "web" {\n  instance_type = "t3.micro"\n  tags = { Name = "web" }\n  root_block_device {\n    volume_size = 20\n  }\n}\n',
  'v = <<EOF\n{"Version": "2012-10-17"}\nEOF\n',
  'v = jsonencode({ Version = "2012-10-17" })\n',
  'v = "t3.${"\n',
  'resource "aws_s3_bucket" {\n',
  '',
];

const started: Hcl2WorkerReader[] = [];
function worker(modulePath?: string): Hcl2WorkerReader {
  const reader = modulePath === undefined ? startHcl2Worker() : startHcl2Worker(modulePath);
  started.push(reader);
  return reader;
}
afterAll(async () => {
  await Promise.all(started.map((reader) => reader.close()));
});

describe('hcl2-parser in a worker thread', () => {
  it('reads every text as hcl2-parser does in this thread, null where it does not parse', async () => {
    const expected = await inThreadHcl2Reader.parse(TEXTS);
    expect(expected[0]).toMatchObject({ resource: { aws_instance: { web: [{ instance_type: 't3.micro' }] } } });
    expect(expected[3]).toBeNull();
    expect(expected[4]).toBeNull();
    expect(await worker().parse(TEXTS)).toEqual(expected);
  });

  it('answers requests sent together each with its own bodies', async () => {
    const reader = worker();
    const requests = Array.from({ length: 20 }, (_, i) => [`n = ${i}\n`, `s = "x${i}"\n`]);
    const answers = await Promise.all(requests.map((texts) => reader.parse(texts)));
    answers.forEach((bodies, i) => expect(bodies).toEqual([{ n: i }, { s: `x${i}` }]));
  });

  it('reads in this thread when the worker cannot load hcl2-parser', async () => {
    const reader = worker('/nonexistent/hcl2-parser/index.js');
    expect(await reader.parse(TEXTS)).toEqual(await inThreadHcl2Reader.parse(TEXTS));
    expect(await reader.parse(['a = 1\n'])).toEqual([{ a: 1 }]);
  });

  it('reads in this thread after it is closed', async () => {
    const reader = worker();
    await reader.close();
    expect(await reader.parse(['a = 1\n'])).toEqual([{ a: 1 }]);
  });

  it('does not keep a process alive when it is never asked anything', () => {
    const script = fileURLToPath(new URL('./fixtures/idle-worker.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 15_000 });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('started');
  });

  it('does not keep a process alive once its answers are in', () => {
    const script = fileURLToPath(new URL('./fixtures/patch-once.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('edit');
  });
});
