import { describe, expect, it } from 'vitest';
import { scrubReport } from '../../src/surfaces/scrub-report.js';
import { imdsReenabled, resultWith, tagsOnly } from '../report/fixtures/scan-results.js';
import { kilnReport } from './fixtures/reports.js';

const SECRET = 'FIXTURE-db-pass-91c2';

describe('scrubReport', () => {
  const drift = {
    ...tagsOnly,
    title: `Tags changed: ${SECRET}`,
    changes: [{ path: `tags.${SECRET}`, declared: null, live: { [SECRET]: [`x${SECRET}y`] } }],
    attribution: { ...imdsReenabled.attribution!, actor: SECRET },
    patch: { ...imdsReenabled.patch!, note: SECRET, remediation: `aws x --p ${SECRET}`, files: [{ path: 'compute.tf', before: `a = "${SECRET}"`, after: `a = "${SECRET}"\nb = 1`, diff: `+ ${SECRET}` }] },
  };
  const report = kilnReport({ secrets: [SECRET], error: `denied for ${SECRET}` }, resultWith([drift], { notes: [SECRET] }));
  const scrubbed = scrubReport(report);

  it('scrubs every text the surfaces render, keys included', () => {
    const rendered = JSON.stringify({ ...scrubbed, secrets: [], patches: {}, result: { ...scrubbed.result, drifts: scrubbed.result!.drifts.map((d) => ({ ...d, patch: { ...d.patch, files: d.patch!.files.map((f) => ({ ...f, before: '', after: '' })) } })) } });
    expect(rendered).not.toContain(SECRET);
    expect(scrubbed.result!.drifts[0]!.changes[0]!.live).toEqual({ '(sensitive)': ['x(sensitive)y'] });
    expect(scrubbed.error).toBe('denied for (sensitive)');
  });

  it('keeps fingerprints and the file contents a fix pull request commits', () => {
    expect(scrubbed.result!.drifts[0]!.fingerprint).toBe(tagsOnly.fingerprint);
    expect(scrubbed.result!.drifts[0]!.patch!.files[0]!.after).toBe(`a = "${SECRET}"\nb = 1`);
    expect(scrubbed.result!.drifts[0]!.patch!.files[0]!.diff).toBe('+ (sensitive)');
  });

  it('leaves a report without secrets untouched', () => {
    const plain = kilnReport();
    expect(scrubReport(plain)).toBe(plain);
  });
});
