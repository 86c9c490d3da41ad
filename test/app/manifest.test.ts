import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { HANDLED_EVENTS } from '../../src/github/register-webhooks.js';

const manifest = parse(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

// Events GitHub sends every app without a subscription.
const ALWAYS_SENT = ['installation', 'installation_repositories'];

describe('app.yml', () => {
  it('subscribes to every event the app handles', () => {
    for (const event of HANDLED_EVENTS) expect([...manifest.default_events, ...ALWAYS_SENT]).toContain(event);
    // Nothing subscribed that nothing handles: every delivery costs the server.
    for (const event of manifest.default_events) expect(HANDLED_EVENTS).toContain(event);
  });

  it('asks for the least permissions that work: no members, no administration, nothing org-wide', () => {
    expect(manifest.default_permissions).toEqual({ checks: 'write', contents: 'write', issues: 'write', pull_requests: 'write', metadata: 'read' });
  });
});
