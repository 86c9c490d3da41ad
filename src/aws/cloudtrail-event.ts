// Who made a change, read from one LookupEvents result. Every field is untrusted text from the
// cloud: it is type-checked and length-capped here, never escaped (renderers escape), and no
// shape of event makes this throw.
import type { Event } from '@aws-sdk/client-cloudtrail';
import type { Attribution } from '../drift/types.js';

export type ParsedEvent =
  | { kind: 'attribution'; attribution: Attribution }
  /** A read-only call, a failed call (errorCode set) or not a management event: changed nothing. */
  | { kind: 'not-a-change' }
  /** CloudTrailEvent missing or not a JSON object. */
  | { kind: 'malformed' };

/** Longest text kept from any field: enough for an ARN or an email, not for a payload. */
const MAX_TEXT = 512;

/** Identity Center permission sets surface as roles named AWSReservedSSO_<set>_<suffix>. */
const SSO_ROLE_PREFIX = 'AWSReservedSSO_';

export function parseCloudTrailEvent(event: Event): ParsedEvent {
  if (event.ReadOnly === 'true') return { kind: 'not-a-change' };
  const record = parseRecord(event.CloudTrailEvent);
  if (!record) return { kind: 'malformed' };
  if (isTrue(record.readOnly)) return { kind: 'not-a-change' };
  if (record.managementEvent === false || record.managementEvent === 'false') return { kind: 'not-a-change' };
  if (text(record.errorCode)) return { kind: 'not-a-change' };

  const identity = objectAt(record, 'userIdentity') ?? {};
  const who = actorOf(identity, text(event.Username));
  const eventTime = isoTime(record.eventTime) ?? isoTime(event.EventTime) ?? '';
  return {
    kind: 'attribution',
    attribution: {
      ...who,
      eventName: text(record.eventName) ?? text(event.EventName) ?? '',
      eventTime,
      sourceIp: text(record.sourceIPAddress),
      console: fromConsole(record, identity),
      eventId: text(record.eventID) ?? text(event.EventId) ?? '',
    },
  };
}

type Actor = Pick<Attribution, 'actor' | 'actorType' | 'role' | 'sessionName'>;

function actorOf(identity: Record<string, unknown>, username: string | null): Actor {
  const type = text(identity.type);
  if (type === 'IAMUser') {
    const actor = text(identity.userName) ?? lastSegment(text(identity.arn)) ?? username ?? 'unknown';
    return { actor, actorType: 'iam-user', role: null, sessionName: null };
  }
  if (type === 'AssumedRole') {
    const issuer = objectAt(objectAt(identity, 'sessionContext'), 'sessionIssuer');
    const roleArn = text(issuer?.arn);
    const roleName = text(issuer?.userName) ?? lastSegment(roleArn);
    const sessionName = sessionNameOf(identity) ?? username;
    const actor = sessionName ?? roleName ?? 'unknown';
    const actorType = roleName?.startsWith(SSO_ROLE_PREFIX) ? 'sso-user' : 'assumed-role';
    return { actor, actorType, role: roleArn, sessionName };
  }
  if (type === 'Root') {
    return { actor: 'root', actorType: 'root', role: null, sessionName: null };
  }
  if (type === 'AWSService') {
    return { actor: text(identity.invokedBy) ?? 'AWS service', actorType: 'aws-service', role: null, sessionName: null };
  }
  // IdentityCenterUser, FederatedUser, AWSAccount, WebIdentityUser, SAMLUser, and types to come.
  const actor = text(identity.userName) ?? text(identity.principalId) ?? text(identity.arn) ?? username ?? 'unknown';
  return { actor, actorType: 'unknown', role: null, sessionName: null };
}

/** Session name from arn:aws:sts::<account>:assumed-role/<role>/<session>, else "<id>:<session>". */
function sessionNameOf(identity: Record<string, unknown>): string | null {
  const arn = text(identity.arn);
  const match = arn ? /:assumed-role\/[^/]+\/(.+)$/.exec(arn) : null;
  if (match?.[1]) return match[1];
  const principalId = text(identity.principalId);
  const colon = principalId ? principalId.indexOf(':') : -1;
  return principalId && colon >= 0 && colon < principalId.length - 1 ? principalId.slice(colon + 1) : null;
}

function fromConsole(record: Record<string, unknown>, identity: Record<string, unknown>): boolean {
  if (isTrue(record.sessionCredentialFromConsole)) return true;
  if (isTrue(objectAt(identity, 'sessionContext')?.sessionCredentialFromConsole)) return true;
  const agent = text(record.userAgent);
  if (!agent) return false;
  // The console calls services as "AWS Internal" or from its own hosts (console.amazonaws.com,
  // signin.amazonaws.com, and per-service ones such as console.ec2.amazonaws.com).
  return agent === 'AWS Internal' || /(^|[^a-z0-9-])(signin|console)(\.[a-z0-9-]+)?\.amazonaws\.com/i.test(agent);
}

function parseRecord(json: unknown): Record<string, unknown> | null {
  if (typeof json !== 'string') return null;
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function objectAt(record: Record<string, unknown> | null | undefined, key: string): Record<string, unknown> | null {
  const value = record?.[key];
  return isObject(value) ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

function text(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
}

function lastSegment(arn: string | null): string | null {
  if (!arn) return null;
  const segment = arn.slice(arn.lastIndexOf('/') + 1);
  return segment.length > 0 ? segment : null;
}

function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const raw = text(value);
  if (!raw) return null;
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}
