import { describe, expect, it } from 'vitest';
import { collectSecrets, REDACTED, redactAttributes, redactChanges, scrubSecrets, secretScrubber } from '../../src/drift/redact.js';
import { fixtureState } from '../resources/fixture-inventory.js';

describe('redaction', () => {
  it.each([
    ['a path the provider marked sensitive', { path: 'password', declared: 'hunter22', live: 'other1' }, [['password']], { path: 'password', declared: REDACTED, live: REDACTED }],
    ['a secret-like name', { path: 'master_user_secret', declared: 'a', live: 'b' }, [], { path: 'master_user_secret', declared: REDACTED, live: REDACTED }],
    ['absent stays absent', { path: 'auth_token', declared: null, live: 'tok' }, [], { path: 'auth_token', declared: null, live: REDACTED }],
    ['http_tokens is an IMDS setting, not a token', { path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' }, [], { path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' }],
    ['inside a nested value', { path: 'connection', declared: { host: 'h', password: 'p4ssw0rd' }, live: null }, [], { path: 'connection', declared: { host: 'h', password: REDACTED }, live: null }],
    ['a sensitive path below the change path', { path: 'env', declared: { A: '1', KEY: 's3cr3t!' }, live: { A: '1' } }, [['env', 'KEY']], { path: 'env', declared: { A: '1', KEY: REDACTED }, live: { A: '1' } }],
  ])('%s', (_name, change, paths, expected) => {
    expect(redactChanges([change], paths)).toEqual([expected]);
  });

  it('collects the clear-text password of a real state and scrubs it from any text', () => {
    const state = fixtureState('legacy-inline');
    const secrets = collectSecrets(state);
    expect(secrets).toContain('FIXTURE-not-a-secret');
    const text = `password is FIXTURE-not-a-secret and in JSON ${JSON.stringify({ p: 'FIXTURE-not-a-secret' })}`;
    expect(scrubSecrets(text, secrets)).not.toContain('FIXTURE-not-a-secret');
  });

  it('redacts sensitive attributes of a resource but keeps the rest', () => {
    const db = fixtureState('legacy-inline').resources.find((r) => r.type === 'aws_db_instance')!;
    const redacted = redactAttributes(db.attributes, db.sensitivePaths);
    expect(redacted.password).toBe(REDACTED);
    expect(redacted.instance_class).toBe('db.t3.micro');
    expect(db.attributes.password).toBe('FIXTURE-not-a-secret');
  });

  it.each([
    ['no secret', 'plain text'],
    ['a secret', 'pw FIXTURE-not-a-secret here'],
    ['its JSON spelling', JSON.stringify({ p: 'quote"d\\secret' })],
    ['regular-expression characters', 'a (x+y)* [z] $1 secret'],
    ['a secret inside another', 'long-secret-value and secret-value'],
  ])('secretScrubber scrubs as scrubSecrets does: %s', (_name, text) => {
    const secrets = ['long-secret-value', 'secret-value', 'FIXTURE-not-a-secret', 'quote"d\\secret', '(x+y)* [z] $1'];
    expect(secretScrubber(secrets)(text)).toBe(scrubSecrets(text, secrets));
  });
});
