import { describe, expect, it } from 'vitest';
import { mergeConfigs } from '../../src/config/merge-configs.js';
import { validateRepoConfig } from '../../src/config/repo-config.js';

describe('mergeConfigs (context.config semantics)', () => {
  it.each([
    ['a later scalar wins', [{ fail_on: 'low' }, { fail_on: 'high' }], { fail_on: 'high' }],
    ['maps merge key by key', [{ notify: { slack: { channel: 'ops', min_severity: 'low' } } }, { notify: { slack: { min_severity: 'high' } } }], { notify: { slack: { channel: 'ops', min_severity: 'high' } } }],
    ['lists are concatenated, the base first', [{ labels: ['a'] }, { labels: ['b'] }, { labels: ['c'] }], { labels: ['a', 'b', 'c'] }],
    ['a value of another kind replaces a list', [{ labels: ['a'] }, { labels: 'b' }], { labels: 'b' }],
    ['a list replaces a map', [{ autofix: { mode: 'restore' } }, { autofix: ['x'] }], { autofix: ['x'] }],
    ['a map replaces a scalar', [{ autofix: 'restore' }, { autofix: { mode: 'accept' } }], { autofix: { mode: 'accept' } }],
    ['nothing is all defaults', [], {}],
  ])('%s', (_name, configs, merged) => {
    expect(mergeConfigs(configs as Record<string, unknown>[])).toEqual(merged);
  });

  it('copies, so a merged list never aliases a file', () => {
    const base = { labels: ['a'] };
    const merged = mergeConfigs([base, { fail_on: 'low' }]);
    (merged.labels as string[]).push('b');
    expect(base.labels).toEqual(['a']);
  });

  it('keeps a "__proto__" key as an unknown key for the schema to refuse', () => {
    const hostile = JSON.parse('{"__proto__": {"fail_on": "critical"}}') as Record<string, unknown>;
    const merged = mergeConfigs([hostile]);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(validateRepoConfig(merged)).toEqual({ ok: false, issues: [{ path: ['__proto__'], message: expect.stringContaining('unknown key') }] });
  });
});
