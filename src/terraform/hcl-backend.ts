// `terraform { backend "s3" { ... } }` → where the state lives. Backend blocks cannot use
// variables, so only literal values count; anything else reads as null.
import type { HclTopBlock } from './hcl-file.js';
import { firstBlock, literalAttributes, literalString } from './hcl-literals.js';
import type { HclBackend, S3BackendConfig } from './types.js';

/** The backend of a root-module `terraform` block (a `cloud` block reads as type "cloud"), or null. */
export function readBackend(terraform: HclTopBlock, file: string): HclBackend | null {
  const location = terraform.nested.find((block) => block.type === 'backend' || block.type === 'cloud');
  if (!location) return null;
  const type = location.type === 'cloud' ? 'cloud' : (location.labels[0] ?? '');
  const raw = location.type === 'cloud' ? terraform.body.cloud : (terraform.body.backend as Record<string, unknown> | undefined)?.[type];
  const body = firstBlock(raw) ?? {};
  return {
    file,
    startLine: location.startLine,
    endLine: location.endLine,
    type,
    config: literalAttributes(body),
    s3: type === 's3' ? readS3Config(body) : null,
  };
}

function readS3Config(body: Record<string, unknown>): S3BackendConfig {
  // Terraform 1.6 moved role settings into `assume_role` and endpoints into `endpoints`; the
  // older top-level forms are deprecated but still accepted, so both are read.
  const assumeRole = firstBlock(body.assume_role);
  const endpoints = firstBlock(body.endpoints);
  return {
    bucket: literalString(body.bucket),
    key: literalString(body.key),
    region: literalString(body.region),
    workspaceKeyPrefix: literalString(body.workspace_key_prefix),
    dynamodbTable: literalString(body.dynamodb_table),
    useLockfile: body.use_lockfile === true,
    roleArn: literalString(assumeRole?.role_arn) ?? literalString(body.role_arn),
    externalId: literalString(assumeRole?.external_id) ?? literalString(body.external_id),
    profile: literalString(body.profile),
    endpoint: literalString(endpoints?.s3) ?? literalString(body.endpoint),
  };
}
