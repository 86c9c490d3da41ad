import { describe, expect, it } from 'vitest';
import { applyIgnoreRules, ignoreRulesFromList, parseIgnoreRules } from '../../src/drift/ignore.js';
import type { Drift } from '../../src/drift/types.js';
import { DriftwatchError } from '../../src/errors.js';

function drift(partial: Partial<Drift>): Drift {
  return { kind: 'modified', address: null, type: 'aws_instance', id: 'i-1', region: 'us-east-1', changes: [], signals: [], live: null, declared: null, ...partial };
}

const web = drift({
  address: 'module.app["courier"].aws_instance.web[0]',
  id: 'i-0abc',
  changes: [
    { path: 'tags.Owner', declared: 'a', live: 'b' },
    { path: 'instance_type', declared: 't3.micro', live: 't3.large' },
  ],
});
const bucket = drift({
  address: 'aws_s3_bucket_versioning.logs',
  type: 'aws_s3_bucket_versioning',
  id: 'my.logs.bucket',
  changes: [{ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }],
});
const rogue = drift({ kind: 'unmanaged', type: 'aws_s3_bucket', id: 'scratch.example.com', changes: [] });

describe('ignore rules', () => {
  it.each([
    ['type.name (module path and index optional)', ['aws_instance.web'], [], ['aws_s3_bucket_versioning.logs', null]],
    ['full address', ['module.app["courier"].aws_instance.web[0]'], [], ['aws_s3_bucket_versioning.logs', null]],
    ['type.*', ['aws_s3_bucket_versioning.*'], ['module.app["courier"].aws_instance.web[0]', null], []],
    ['module path without keys', ['module.app.aws_instance.web'], [], ['aws_s3_bucket_versioning.logs', null]],
    ['driftctl: type.cloud-id with escaped dots', ['aws_s3_bucket.scratch\\.example\\.com'], ['module.app["courier"].aws_instance.web[0]', 'aws_s3_bucket_versioning.logs'], []],
    ['everything, then un-ignore one', ['*', '!aws_instance.web'], ['module.app["courier"].aws_instance.web[0]'], []],
  ])('%s', (_name, patterns, keptAddresses, alsoKept) => {
    const { drifts } = applyIgnoreRules([web, bucket, rogue], ignoreRulesFromList(patterns, 'driftwatch.yml'));
    expect(drifts.map((d) => d.address)).toEqual([...keptAddresses, ...alsoKept]);
  });

  it('an attribute path drops only that change', () => {
    const { drifts, ignored } = applyIgnoreRules([web], ignoreRulesFromList(['aws_instance.web.tags'], 'x'));
    expect(drifts[0]!.changes).toEqual([{ path: 'instance_type', declared: 't3.micro', live: 't3.large' }]);
    expect(ignored).toBe(1);
  });

  it('nested block paths are written with dots, as driftctl does', () => {
    const { drifts } = applyIgnoreRules([bucket], ignoreRulesFromList(['aws_s3_bucket_versioning.logs.versioning_configuration.0.status'], 'x'));
    expect(drifts).toEqual([]);
  });

  it('a .driftignore file: comments, blank lines, negation, last match wins', () => {
    const rules = parseIgnoreRules('# noisy tags\n\naws_instance.*.tags.*\n!aws_instance.web.tags.Owner\n', '.driftignore');
    expect(rules.map((r) => [r.negate, r.pattern, r.source])).toEqual([
      [false, 'aws_instance.*.tags.*', '.driftignore:3'],
      [true, 'aws_instance.web.tags.Owner', '.driftignore:4'],
    ]);
    expect(applyIgnoreRules([web], rules).drifts[0]!.changes.map((c) => c.path)).toEqual(['tags.Owner', 'instance_type']);
  });

  it('a lone "!" is an error that names the file and line', () => {
    expect(() => parseIgnoreRules('aws_instance.web\n!\n', '.driftignore')).toThrow(DriftwatchError);
    expect(() => parseIgnoreRules('aws_instance.web\n!\n', '.driftignore')).toThrow('.driftignore:2');
  });
});
