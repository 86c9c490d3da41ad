import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/drift/fingerprint.js';

const drift = {
  kind: 'modified' as const,
  address: 'aws_security_group.web',
  type: 'aws_security_group',
  id: 'sg-1',
  changes: [
    { path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' } },
    { path: 'tags.Env', declared: 'prod', live: 'dev' },
  ],
};

describe('fingerprint', () => {
  it('is the same on every run and machine (a fixed value for a fixed drift)', () => {
    expect(fingerprint('prod', drift)).toBe(fingerprint('prod', structuredClone(drift)));
    expect(fingerprint('prod', drift)).toMatch(/^[0-9a-f]{64}$/);
    // Pinned: changing how fingerprints are computed would reopen every tracked drift.
    expect(fingerprint('prod', drift)).toBe('44113579ce70e6c8288cb067131dc711c7dec7ae3fc9d242bebc6ba28569860c');
  });

  it('ignores the order of changes and of object keys', () => {
    const reordered = { ...drift, changes: [drift.changes[1]!, { path: 'ingress', live: { to_port: 22, cidr_ipv4: '0.0.0.0/0', from_port: 22, protocol: 'tcp' }, declared: null }] };
    expect(fingerprint('prod', reordered)).toBe(fingerprint('prod', drift));
  });

  it.each([
    ['another workspace', 'staging', drift],
    ['another kind', 'prod', { ...drift, kind: 'deleted' as const }],
    ['another address', 'prod', { ...drift, address: 'aws_security_group.db' }],
    ['a changed value', 'prod', { ...drift, changes: [{ path: 'tags.Env', declared: 'prod', live: 'qa' }] }],
  ])('is new for %s', (_name, workspace, other) => {
    expect(fingerprint(workspace, other)).not.toBe(fingerprint('prod', drift));
  });

  it('keys unmanaged resources on type and id', () => {
    const a = { kind: 'unmanaged' as const, address: null, type: 'aws_instance', id: 'i-1', changes: [] };
    expect(fingerprint('prod', a)).toBe(fingerprint('prod', { ...a }));
    expect(fingerprint('prod', a)).not.toBe(fingerprint('prod', { ...a, id: 'i-2' }));
  });
});
