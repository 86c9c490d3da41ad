// An in-memory AWS account that answers the read calls driftwatch makes, the way the services do:
// real pagination tokens and page limits, filters, S3 region redirects and objects (a backend's
// state), a CloudTrail event history, the usual "not configured" errors, and failures a test
// queues (throttling bursts, AccessDenied). Requests come
// in as the services receive them (see parse-request.ts) and leave as XML (render.ts), so the
// real SDK clients, their retry middleware and driftwatch's collectors run unchanged on top.
import type { Instance, SecurityGroup, SecurityGroupRule, Volume } from '@aws-sdk/client-ec2';
import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import type { DBInstance } from '@aws-sdk/client-rds';
import type { ParsedRequest } from './parse-request.js';
import { renderError, renderOutput, type FakeError, type FakeResponse, type FakeService } from './render.js';

export interface FakeRegion {
  instances: Instance[];
  volumes: Volume[];
  securityGroups: SecurityGroup[];
  securityGroupRules: SecurityGroupRule[];
  dbInstances: DBInstance[];
}

export type S3Setting = 'GetBucketTagging' | 'GetBucketVersioning' | 'GetBucketEncryption' | 'GetPublicAccessBlock' | 'GetBucketPolicy' | 'GetBucketAcl';

export interface FakeBucket {
  name: string;
  region: string;
  creationDate: string;
  /** Whether ListBuckets carries BucketRegion for it (AWS does since 2024; emulators often not). */
  listsRegion?: boolean;
  /** GetBucketLocation's raw answer when it is not the plain region ("EU", say). */
  locationConstraint?: string;
  /** Outputs (or errors) of the settings calls; absent ones answer as an unconfigured bucket does. */
  settings?: Partial<Record<S3Setting, Record<string, unknown> | { $fakeError: FakeError }>>;
  /** Objects by key (a Terraform backend's state, say), for GetObject and HeadObject. */
  objects?: Record<string, FakeObject>;
  /** Whether the caller holds s3:ListBucket: without it S3 answers a missing key with AccessDenied,
   * not NoSuchKey, so as not to tell which keys exist. True unless set. */
  listable?: boolean;
}

export interface FakeObject {
  body: string;
  /** ISO time of the last write. */
  lastModified: string;
  contentType?: string;
}

/** A role as GetAccountAuthorizationDetails shows it, plus what only ListRoles carries. */
export type FakeRole = RoleDetail & { Description?: string; MaxSessionDuration?: number };

export interface FakeAccountData {
  accountId: string;
  regions: Record<string, FakeRegion>;
  buckets: FakeBucket[];
  roles: FakeRole[];
  policies: ManagedPolicyDetail[];
  /** Roles the caller may assume, with the external id each requires (null: none required). */
  assumableRoles?: Record<string, string | null>;
  /** CloudTrail's event history by region, as LookupEvents sends events (EventTime in epoch
   * seconds, Resources, CloudTrailEvent as JSON text); newest first, as CloudTrail lists them. */
  cloudTrail?: Record<string, CloudTrailWireEvent[]>;
}

export interface CloudTrailWireEvent {
  EventId: string;
  EventName: string;
  EventTime: number;
  Resources?: Array<{ ResourceType?: string; ResourceName?: string }>;
  [field: string]: unknown;
}

export interface FailureRule {
  service?: FakeService;
  operation?: string;
  region?: string;
  /** How many matching calls fail; Infinity for all. */
  times: number;
  error: FakeError;
}

export interface RecordedCall {
  service: FakeService;
  region: string;
  operation: string;
  params: Record<string, string>;
  host: string;
  path: string;
  accessKeyId: string;
}

export function emptyRegion(): FakeRegion {
  return { instances: [], volumes: [], securityGroups: [], securityGroupRules: [], dbInstances: [] };
}

export const THROTTLING: Record<'ec2' | 'query' | 's3', FakeError> = {
  ec2: { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
  query: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  s3: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
};

export class FakeAccount {
  readonly calls: RecordedCall[] = [];
  readonly failures: FailureRule[] = [];
  /** Largest page the fake returns, below each API's own limit, to force pagination in tests. */
  maxPageSize = Number.POSITIVE_INFINITY;
  /** Keep rendered answers per request, so a benchmark's second pass measures the client side
   * only. Only for an account whose data and failures no longer change. */
  cacheResponses = false;
  private readonly rendered = new Map<string, FakeResponse>();

  constructor(readonly data: FakeAccountData) {}

  /** Queue failures for matching calls, before they reach the account. */
  fail(rule: FailureRule): this {
    this.failures.push(rule);
    return this;
  }

  handle(request: ParsedRequest): FakeResponse {
    const { service, operation } = request;
    this.calls.push({
      service,
      region: request.region,
      operation,
      params: request.params,
      host: request.host,
      path: request.path,
      accessKeyId: request.accessKeyId,
    });
    const queued = this.takeFailure(request);
    if (queued) return renderError(service, queued, request.method);
    const key = this.cacheResponses ? JSON.stringify([service, request.region, operation, request.params]) : undefined;
    const cached = key === undefined ? undefined : this.rendered.get(key);
    if (cached) return cached;
    try {
      const response = renderOutput(service, operation, this.answer(request));
      if (key !== undefined) this.rendered.set(key, response);
      return response;
    } catch (error) {
      if (isFakeError(error)) return renderError(service, error.fakeError, request.method);
      throw error;
    }
  }

  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private takeFailure(request: ParsedRequest): FakeError | undefined {
    const rule = this.failures.find(
      (r) =>
        r.times > 0 &&
        (r.service === undefined || r.service === request.service) &&
        (r.operation === undefined || r.operation === request.operation) &&
        (r.region === undefined || r.region === request.region),
    );
    if (!rule) return undefined;
    rule.times -= 1;
    return rule.error;
  }

  private region(name: string): FakeRegion {
    return this.data.regions[name] ?? emptyRegion();
  }

  private answer(request: ParsedRequest): Record<string, unknown> {
    const p = request.params;
    const region = this.region(request.region);
    switch (`${request.service}:${request.operation}`) {
      case 'ec2:DescribeInstances': {
        const states = filterValues(p, 'instance-state-name');
        const instances = region.instances.filter((i) => !states || states.includes(i.State?.Name ?? ''));
        const page = this.page(instances, p.MaxResults, p.NextToken, 1000, 5);
        return {
          Reservations: page.items.map((instance) => ({ ReservationId: `r-${instance.InstanceId?.slice(2)}`, OwnerId: this.data.accountId, Groups: [], Instances: [instance] })),
          ...(page.next ? { NextToken: page.next } : {}),
        };
      }
      case 'ec2:DescribeVolumes': {
        const ids = filterValues(p, 'volume-id');
        const listed = indexedValues(p, 'VolumeId');
        if (listed.length > 0) {
          const missing = listed.find((id) => !region.volumes.some((v) => v.VolumeId === id));
          if (missing) throw fakeError({ code: 'InvalidVolume.NotFound', status: 400, message: `The volume '${missing}' does not exist.` });
        }
        const wanted = ids ?? (listed.length > 0 ? listed : undefined);
        const volumes = region.volumes.filter((v) => !wanted || wanted.includes(v.VolumeId ?? ''));
        const page = this.page(volumes, p.MaxResults, p.NextToken, 500, 5);
        return { Volumes: page.items, ...(page.next ? { NextToken: page.next } : {}) };
      }
      case 'ec2:DescribeSecurityGroups': {
        const page = this.page(region.securityGroups, p.MaxResults, p.NextToken, 1000, 5);
        return { SecurityGroups: page.items, ...(page.next ? { NextToken: page.next } : {}) };
      }
      case 'ec2:DescribeSecurityGroupRules': {
        const groups = filterValues(p, 'group-id');
        if (groups && groups.length > 200) throw fakeError({ code: 'FilterLimitExceeded', status: 400, message: 'The maximum number of filter values specified on a single call is 200' });
        const rules = region.securityGroupRules.filter((r) => !groups || groups.includes(r.GroupId ?? ''));
        const page = this.page(rules, p.MaxResults, p.NextToken, 1000, 5);
        return { SecurityGroupRules: page.items, ...(page.next ? { NextToken: page.next } : {}) };
      }
      case 'rds:DescribeDBInstances': {
        const page = this.page(region.dbInstances, p.MaxRecords, p.Marker, 100, 20);
        return { DBInstances: page.items, ...(page.next ? { Marker: page.next } : {}) };
      }
      case 'iam:GetAccountAuthorizationDetails':
        return this.authorizationDetails(p);
      case 'iam:ListRoles': {
        const page = this.page(this.data.roles, p.MaxItems, p.Marker, 1000, 1);
        const roles = page.items.map((role) => ({
          Path: role.Path,
          RoleName: role.RoleName,
          RoleId: role.RoleId,
          Arn: role.Arn,
          CreateDate: role.CreateDate,
          AssumeRolePolicyDocument: role.AssumeRolePolicyDocument,
          Description: role.Description,
          MaxSessionDuration: role.MaxSessionDuration ?? 3600,
        }));
        return { Roles: roles, IsTruncated: page.next !== undefined, ...(page.next ? { Marker: page.next } : {}) };
      }
      case 'sts:GetCallerIdentity':
        return { Account: this.data.accountId, Arn: `arn:aws:iam::${this.data.accountId}:user/driftwatch`, UserId: 'AIDAFAKEUSER' };
      case 'sts:AssumeRole':
        return this.assumeRole(p);
      // The account's history (empty unless a test records events); tests queue failures to make
      // CloudTrail misbehave.
      case 'cloudtrail:LookupEvents':
        return this.lookupEvents(request.region, p);
      case 's3:ListBuckets':
        return this.listBuckets(p);
      case 's3:GetBucketLocation': {
        const bucket = this.bucket(p.Bucket);
        const constraint = bucket.locationConstraint ?? (bucket.region === 'us-east-1' ? undefined : bucket.region);
        return constraint ? { LocationConstraint: constraint } : {};
      }
      case 's3:HeadBucket':
        return { BucketRegion: this.bucketInRegion(p.Bucket, request.region).region };
      case 's3:GetBucketTagging':
      case 's3:GetBucketVersioning':
      case 's3:GetBucketEncryption':
      case 's3:GetPublicAccessBlock':
      case 's3:GetBucketPolicy':
      case 's3:GetBucketAcl':
        return this.bucketSetting(this.bucketInRegion(p.Bucket, request.region), request.operation as S3Setting);
      case 's3:GetObject':
      case 's3:HeadObject':
        return this.object(this.bucketInRegion(p.Bucket, request.region), p.Key ?? '');
      default:
        throw new Error(`fake AWS has no ${request.service} ${request.operation}`);
    }
  }

  private authorizationDetails(p: Record<string, string>): Record<string, unknown> {
    const filter = indexedValues(p, 'Filter.member');
    const roles = !filter.length || filter.includes('Role') ? this.data.roles : [];
    const policies = !filter.length || filter.includes('LocalManagedPolicy') ? this.data.policies : [];
    // One sequence across both lists, the way IAM pages them.
    const items: Array<{ role?: FakeRole; policy?: ManagedPolicyDetail }> = [
      ...roles.map((role) => ({ role })),
      ...policies.map((policy) => ({ policy })),
    ];
    const page = this.page(items, p.MaxItems, p.Marker, 1000, 1);
    const roleDetails = page.items.flatMap((item) => (item.role ? [withoutListedOnly(item.role)] : []));
    return {
      RoleDetailList: roleDetails,
      Policies: page.items.flatMap((item) => (item.policy ? [item.policy] : [])),
      IsTruncated: page.next !== undefined,
      ...(page.next ? { Marker: page.next } : {}),
    };
  }

  private assumeRole(p: Record<string, string>): Record<string, unknown> {
    const roles = this.data.assumableRoles ?? {};
    const arn = p.RoleArn ?? '';
    const externalId = roles[arn];
    if (externalId === undefined || (externalId !== null && p.ExternalId !== externalId)) {
      throw fakeError({ code: 'AccessDenied', status: 403, message: `User is not authorized to perform: sts:AssumeRole on resource: ${arn}` });
    }
    const expiration = new Date(Date.now() + 3600_000);
    const n = this.callsOf('AssumeRole').length;
    return {
      Credentials: { AccessKeyId: `ASIAASSUMED${n}`, SecretAccessKey: `secret-${n}`, SessionToken: `token-${n}`, Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: `AROAFAKE:${p.RoleSessionName}`, Arn: `${arn.replace(':iam:', ':sts:').replace(':role/', ':assumed-role/')}/${p.RoleSessionName}` },
    };
  }

  /** LookupEvents by one ResourceName (or EventName) attribute, within StartTime..EndTime, paged
   * as CloudTrail pages (50 at most). */
  private lookupEvents(region: string, p: Record<string, string>): Record<string, unknown> {
    const attributes = p.LookupAttributes ? (JSON.parse(p.LookupAttributes) as Array<{ AttributeKey: string; AttributeValue: string }>) : [];
    if (attributes.length > 1) throw fakeError({ code: 'InvalidLookupAttributesException', status: 400, message: 'You cannot specify more than one lookup attribute.' });
    const [attribute] = attributes;
    const start = p.StartTime === undefined ? Number.NEGATIVE_INFINITY : Number(p.StartTime);
    const end = p.EndTime === undefined ? Number.POSITIVE_INFINITY : Number(p.EndTime);
    const events = (this.data.cloudTrail?.[region] ?? []).filter((event) => {
      if (event.EventTime < start || event.EventTime > end) return false;
      if (!attribute) return true;
      if (attribute.AttributeKey === 'ResourceName') return (event.Resources ?? []).some((resource) => resource.ResourceName === attribute.AttributeValue);
      if (attribute.AttributeKey === 'EventName') return event.EventName === attribute.AttributeValue;
      throw fakeError({ code: 'InvalidLookupAttributesException', status: 400, message: `The fake does not look up by ${attribute.AttributeKey}.` });
    });
    const page = this.page(events, p.MaxResults, p.NextToken, 50, 1);
    return { Events: page.items, ...(page.next ? { NextToken: page.next } : {}) };
  }

  private object(bucket: FakeBucket, key: string): Record<string, unknown> {
    const object = bucket.objects?.[key];
    if (object) return { ...object };
    if (bucket.listable === false) throw fakeError({ code: 'AccessDenied', status: 403, message: 'Access Denied' });
    throw fakeError({ code: 'NoSuchKey', status: 404, message: 'The specified key does not exist.', details: { Key: key } });
  }

  private listBuckets(p: Record<string, string>): Record<string, unknown> {
    const page = this.page(this.data.buckets, p['max-buckets'], p['continuation-token'], 10_000, 1);
    return {
      Buckets: page.items.map((bucket) => ({
        Name: bucket.name,
        CreationDate: bucket.creationDate,
        ...(bucket.listsRegion ? { BucketRegion: bucket.region } : {}),
      })),
      Owner: { DisplayName: 'owner', ID: 'c0ffee' },
      ...(page.next ? { ContinuationToken: page.next } : {}),
    };
  }

  private bucket(name: string | undefined): FakeBucket {
    const bucket = this.data.buckets.find((b) => b.name === name);
    if (!bucket) throw fakeError({ code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist', details: { BucketName: name ?? '' } });
    return bucket;
  }

  /** A bucket call sent to another region's endpoint is redirected, as S3 does. */
  private bucketInRegion(name: string | undefined, region: string): FakeBucket {
    const bucket = this.bucket(name);
    if (bucket.region !== region) {
      throw fakeError({
        code: 'PermanentRedirect',
        status: 301,
        message: 'The bucket you are attempting to access must be addressed using the specified endpoint.',
        headers: { 'x-amz-bucket-region': bucket.region },
      });
    }
    return bucket;
  }

  private bucketSetting(bucket: FakeBucket, operation: S3Setting): Record<string, unknown> {
    const configured = bucket.settings?.[operation];
    if (configured && '$fakeError' in configured) throw fakeError(configured.$fakeError as FakeError);
    if (configured) return configured;
    switch (operation) {
      case 'GetBucketTagging':
        throw fakeError({ code: 'NoSuchTagSet', status: 404, message: 'The TagSet does not exist' });
      case 'GetBucketEncryption':
        return { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] } };
      case 'GetPublicAccessBlock':
        return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } };
      case 'GetBucketPolicy':
        throw fakeError({ code: 'NoSuchBucketPolicy', status: 404, message: 'The bucket policy does not exist' });
      case 'GetBucketVersioning':
        return {};
      case 'GetBucketAcl':
        return { Owner: { ID: 'c0ffee' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'c0ffee' }, Permission: 'FULL_CONTROL' }] };
    }
  }

  /** Offset tokens, capped by the API's limit, the caller's page size and `maxPageSize`. */
  private page<T>(items: readonly T[], requested: string | undefined, token: string | undefined, limit: number, minimum: number): { items: T[]; next?: string } {
    let size = requested === undefined ? limit : Number(requested);
    if (!Number.isInteger(size) || size < minimum || size > limit) {
      throw fakeError({ code: 'InvalidParameterValue', status: 400, message: `page size ${requested} is outside ${minimum}..${limit}` });
    }
    size = Math.min(size, this.maxPageSize);
    const start = token === undefined ? 0 : Number(token.replace(/^page-/, ''));
    const slice = items.slice(start, start + size);
    const end = start + slice.length;
    return end < items.length ? { items: slice, next: `page-${end}` } : { items: slice };
  }
}

function withoutListedOnly(role: FakeRole): RoleDetail {
  const { Description: _description, MaxSessionDuration: _max, ...detail } = role;
  return detail;
}

/** EC2 query filters: Filter.N.Name / Filter.N.Value.M. */
function filterValues(params: Record<string, string>, name: string): string[] | undefined {
  for (const [key, value] of Object.entries(params)) {
    const match = /^Filter\.(\d+)\.Name$/.exec(key);
    if (match && value === name) return indexedValues(params, `Filter.${match[1]}.Value`);
  }
  return undefined;
}

/** Prefix.1, Prefix.2, … in order. */
function indexedValues(params: Record<string, string>, prefix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params[`${prefix}.${i}`] !== undefined; i++) values.push(params[`${prefix}.${i}`] as string);
  return values;
}

interface FakeErrorThrown {
  fakeError: FakeError;
}

function fakeError(error: FakeError): FakeErrorThrown {
  return { fakeError: error };
}

function isFakeError(value: unknown): value is FakeErrorThrown {
  return typeof value === 'object' && value !== null && 'fakeError' in value;
}
