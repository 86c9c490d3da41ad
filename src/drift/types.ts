// Drifts as the pure diff produces them, and as the rest of the pipeline enriches them.
import type { LiveResource } from '../resources/live-types.js';
import type { Signal } from '../risk/types.js';

export type DriftKind = 'modified' | 'deleted' | 'unmanaged';

/**
 * One attribute-level difference. `path` is the Terraform attribute path inside the drift's
 * resource: `instance_type`, `tags.Env`, `versioning_configuration[0].status`,
 * `rule[0].apply_server_side_encryption_by_default[0].sse_algorithm`. Set-valued attributes
 * (security group rules, attached policies, inline policies) report one change per element,
 * with null on the side where the element is absent.
 */
export interface Change {
  path: string;
  declared: unknown;
  live: unknown;
}

export interface Drift {
  kind: DriftKind;
  /** Terraform address of the resource the changes belong to; null for unmanaged. */
  address: string | null;
  /** Terraform type of `address`, or the live type for unmanaged resources. */
  type: string;
  /** Cloud id (what `terraform import` takes for this type). */
  id: string;
  region: string;
  changes: Change[];
  /** Risk facts found by the resource family; the risk catalog turns them into severity. */
  signals: Signal[];
  /** The live object behind the drift (absent for deleted). */
  live: LiveResource | null;
  /** State attributes of `address` (null for unmanaged). Internal: never rendered as a whole,
   * since it can hold secrets; changes carry the redacted values. */
  declared: Record<string, unknown> | null;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface Attribution {
  actor: string;
  actorType: 'iam-user' | 'assumed-role' | 'sso-user' | 'root' | 'aws-service' | 'unknown';
  /** Role ARN for assumed roles. */
  role: string | null;
  sessionName: string | null;
  eventName: string;
  eventTime: string;
  sourceIp: string | null;
  console: boolean;
  eventId: string;
}

/** A drift with everything the report needs. */
export interface AssessedDrift extends Drift {
  fingerprint: string;
  severity: Severity;
  title: string;
  controls: { cis: string[]; mitre: string[] };
  costDeltaMonthly: number | null;
  attribution: Attribution | null;
  /** Where the resource's block is written: its first line and (when known) its last, so a pull
   * request check can tell whether the pull request edits a block that drifted. */
  location: { file: string; line: number; endLine?: number } | null;
}
