// Least privilege, enforced: every AWS command driftwatch can send must be granted by
// docs/iam-policy.json, and must be a read. "Can send" is checked two ways: statically, every
// *Command and paginate* imported from an @aws-sdk/client-* package anywhere under src/ (whoever
// wrote it), and dynamically, every request a full simulated collection actually makes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assumeRoleCredentials } from '../../src/aws/assume-role.js';
import { collectInventory } from '../../src/aws/collect-inventory.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { getAccountId } from '../../src/aws/get-account-id.js';
import { iamActionFor, S3_ACTIONS } from '../../src/aws/iam-actions.js';
import type { AwsService } from '../../src/aws/settings.js';
import { emptyRegion, FakeAccount } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { allFixturesAccount } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';
import { everySetting } from './fake-aws/bucket-settings.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SERVICES: Record<string, AwsService> = {
  'client-ec2': 'ec2',
  'client-s3': 's3',
  'client-rds': 'rds',
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-cloudtrail': 'cloudtrail',
};

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

const policy = JSON.parse(readFileSync(join(ROOT, 'docs', 'iam-policy.json'), 'utf8')) as { Version: string; Statement: PolicyStatement[] };
const granted = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));

function isReadOnly(action: string): boolean {
  if (action === 'sts:AssumeRole' || action === 'sts:GetCallerIdentity') return true;
  const [, verb = ''] = action.split(':');
  return /^(Describe|Get|List|Lookup)[A-Z]/.test(verb);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface ImportedCommand {
  file: string;
  service: AwsService;
  operation: string;
}

/** Every command a file under src/ imports at runtime from an AWS SDK client package. */
function importedCommands(): ImportedCommand[] {
  const found: ImportedCommand[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    expect(text, `${where} imports an SDK client as a namespace; import commands by name so this test can see them`).not.toMatch(
      /import\s+\*\s+as\s+\w+\s+from\s+['"]@aws-sdk\/client-/,
    );
    for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/(client-[a-z0-9-]+)['"]/g)) {
      if (match[1]) continue;
      const service = SERVICES[match[3] as string];
      expect(service, `${where} imports ${match[3]}, which this test does not know; add it to SERVICES`).toBeDefined();
      for (const specifier of (match[2] as string).split(',').map((s) => s.trim()).filter(Boolean)) {
        if (specifier.startsWith('type ')) continue;
        const name = specifier.split(/\s+as\s+/)[0] as string;
        const operation = name.endsWith('Command') ? name.slice(0, -'Command'.length) : name.startsWith('paginate') ? name.slice('paginate'.length) : undefined;
        if (operation) found.push({ file: where, service: service as AwsService, operation });
      }
    }
  }
  return found;
}


/** All three fixtures, a second (empty) region, and a role the scan may assume. */
function accountWithRole() {
  const data = allFixturesAccount();
  return { ...data, regions: { ...data.regions, 'eu-west-1': emptyRegion() }, assumableRoles: { 'arn:aws:iam::123456789012:role/driftwatch-reader': 'ext-1' } };
}

const opened: AwsClients[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

describe('docs/iam-policy.json', () => {
  it('is a read-only policy of exact actions', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
    }
    for (const action of granted) {
      expect(action, 'no wildcards: the policy lists exactly what driftwatch sends').not.toContain('*');
      expect(isReadOnly(action), `${action} is not a read`).toBe(true);
    }
    // State objects only from the state bucket, never every object of every bucket.
    const getObject = policy.Statement.find((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(getObject?.Resource).not.toBe('*');
  });

  it('grants every command imported anywhere under src/, and each is a read', () => {
    const commands = importedCommands();
    // The collectors' own commands must be among them, or the scan above is not finding imports.
    expect(commands.map((c) => `${c.service}:${c.operation}`)).toEqual(
      expect.arrayContaining(['ec2:DescribeInstances', 'ec2:DescribeSecurityGroupRules', 's3:ListBuckets', 's3:GetBucketPolicy', 'iam:GetAccountAuthorizationDetails', 'sts:AssumeRole']),
    );
    const missing: string[] = [];
    for (const command of commands) {
      if (command.service === 's3') {
        expect(Object.keys(S3_ACTIONS), `${command.file}: s3 ${command.operation} has no IAM action in src/aws/iam-actions.ts`).toContain(command.operation);
      }
      const action = iamActionFor(command.service, command.operation);
      expect(isReadOnly(action), `${command.file} can send ${command.service} ${command.operation} (${action}), which is not a read`).toBe(true);
      if (!granted.has(action)) missing.push(`${action} (${command.file})`);
    }
    expect(missing, 'add these actions to docs/iam-policy.json').toEqual([]);
  });

  it('grants every request of a full simulated collection', async () => {
    const fake = new FakeAccount(accountWithRole());
    interceptFakeAws(fake);
    const base = testClients();
    opened.push(base);
    const credentials = assumeRoleCredentials({
      roleArn: 'arn:aws:iam::123456789012:role/driftwatch-reader',
      externalId: 'ext-1',
      allowlist: ['arn:aws:iam::*:role/driftwatch-reader'],
      stsClient: base.sts('us-east-1'),
    });
    const clients = testClients({}, { credentials });
    opened.push(clients);
    const account = await getAccountId(clients);
    const inventory = await collectInventory({
      regions: ['us-east-1', 'eu-west-1'],
      clients,
      bucketSettings: everySetting(fake.data.buckets.map((b) => b.name)),
      account,
    });
    expect(inventory.unknown).toEqual([]);

    const sent = new Set(fake.calls.map((c) => iamActionFor(c.service, c.operation)));
    expect(sent.size).toBeGreaterThanOrEqual(17);
    for (const action of sent) {
      expect(isReadOnly(action), action).toBe(true);
      expect(granted.has(action), `${action} was sent but docs/iam-policy.json does not grant it`).toBe(true);
    }
  });
});
