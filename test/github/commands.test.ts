import { describe, expect, it } from 'vitest';
import { parseCommands } from '../../src/github/commands.js';

describe('parseCommands', () => {
  it.each([
    ['/drift scan', [{ kind: 'scan', workspace: null }]],
    ['/drift scan prod', [{ kind: 'scan', workspace: 'prod' }]],
    ['/drift fix', [{ kind: 'fix', direction: 'restore', addresses: [] }]],
    ['/drift fix aws_security_group.web module.app.aws_instance.this[0]', [{ kind: 'fix', direction: 'restore', addresses: ['aws_security_group.web', 'module.app.aws_instance.this[0]'] }]],
    ['/drift accept aws_s3_bucket.logs["a b"]', [{ kind: 'fix', direction: 'accept', addresses: ['aws_s3_bucket.logs["a b"]'] }]],
    ['/drift accept aws_security_group:sg-0abc123', [{ kind: 'fix', direction: 'accept', addresses: ['aws_security_group:sg-0abc123'] }]],
    ['/drift ignore aws_instance.web.tags.Owner set by the cost tool', [{ kind: 'ignore', pattern: 'aws_instance.web.tags.Owner', reason: 'set by the cost tool' }]],
    ['/drift ignore aws_s3_bucket.*', [{ kind: 'ignore', pattern: 'aws_s3_bucket.*', reason: null }]],
    ['/drift help', [{ kind: 'help' }]],
    ['/drift', [{ kind: 'help' }]],
    ['  /drift scan   staging  ', [{ kind: 'scan', workspace: 'staging' }]],
  ])('reads %s', (body, commands) => {
    expect(parseCommands(body)).toEqual({ commands, errors: [] });
  });

  it('reads one command per line, anywhere in the comment', () => {
    const body = 'Thanks! Let us fix this.\n\n/drift fix aws_security_group.web\nand also\n/drift scan staging\n';
    expect(parseCommands(body).commands).toEqual([
      { kind: 'fix', direction: 'restore', addresses: ['aws_security_group.web'] },
      { kind: 'scan', workspace: 'staging' },
    ]);
  });

  it('does not run commands that are quoted or inside code', () => {
    const body = '> /drift fix\n\n```\n/drift scan\n```\n\n~~~sh\n/drift accept\n~~~\nWe use `/drift scan` daily.';
    expect(parseCommands(body)).toEqual({ commands: [], errors: [] });
  });

  it('leaves words that merely start with /drift alone', () => {
    expect(parseCommands('/driftwatch is great\n/drifting')).toEqual({ commands: [], errors: [] });
  });

  it.each([
    ['/drift destroy', 'unknown command "/drift destroy"'],
    ['/drift scan prod staging', '/drift scan takes at most one workspace name'],
    ['/drift scan ../etc', '"../etc" is not a workspace name'],
    ['/drift fix not-an-address', '"not-an-address" is not a resource address'],
    ['/drift ignore', '/drift ignore needs a pattern'],
    ['/drift help me', '/drift help takes no arguments'],
  ])('says what is wrong with %s', (body, message) => {
    const parsed = parseCommands(body);
    expect(parsed.commands).toEqual([]);
    expect(parsed.errors[0]?.message).toContain(message);
  });
});
