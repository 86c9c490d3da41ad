// One factory per account (one credential set): one SDK client per service and region, created on
// first use and reused, all sharing one HTTP connection pool. Every client gets the same retry
// policy, the per-call timeout, the custom endpoint when one is configured, and the call counter.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider, Logger } from '@smithy/types';
import { callCountingMiddleware, type CallCounter } from './call-stats.js';
import { createRetryStrategy, type RetryTuning } from './retry-strategy.js';
import type { AwsService, AwsSettings } from './settings.js';

/** IAM is global: its one endpoint lives in us-east-1 (commercial partition). */
export const IAM_REGION = 'us-east-1';

/** The SDK clients of one account, what collectors and lookups need. */
export interface AwsServiceClients {
  ec2(region: string): EC2Client;
  s3(region: string): S3Client;
  rds(region: string): RDSClient;
  /** IAM is global: always the us-east-1 client. */
  iam(): IAMClient;
  sts(region: string): STSClient;
  cloudtrail(region: string): CloudTrailClient;
  readonly settings: AwsSettings;
  /** Bucket name → region, learned once per account and reused by later scans. */
  readonly bucketRegions: Map<string, string>;
}

export interface AwsClients extends AwsServiceClients {
  /** Clients of the same account and connection pool that also count each attempt into
   * `counter`: one collector's own figures, even where two families read the same service and
   * region at once. They are separate SDK clients, dropped with the view. */
  counting(counter: CallCounter): AwsServiceClients;
  /** Attempts and throttles of every client of this factory since it was made. */
  totals(): { calls: number; throttles: number };
  /** Closes the connection pool. */
  destroy(): void;
}

export interface CreateAwsClientsOptions {
  settings: AwsSettings;
  /** Absent: the SDK's default chain (env, shared config and SSO, web identity, ECS/EC2 roles). */
  credentials?: AwsCredentialIdentityProvider;
  /** Replaces the Node HTTP handler, so tests and benchmarks can answer in-process. The per-call
   * timeout is then the handler's business. */
  requestHandler?: S3ClientConfig['requestHandler'];
  /** Backoff tuning; tests shorten the waits. */
  retry?: RetryTuning;
}

// The SDK's logger middleware builds `logger.info({ output: filterSensitive(output) })` for every
// response whenever the logger has an `info` method: with the default no-op logger it walks each
// output through its schema only to throw the copy away (about a third of the CPU of reading a
// 1,000-instance DescribeInstances page). A logger without `info` skips that walk; no other SDK
// code calls `info`, and driftwatch logs nothing the SDK says.
const QUIET_LOGGER = { trace() {}, debug() {}, warn() {}, error() {} } as unknown as Logger;

// cacheMiddleware: each client resolves its middleware stack once per command class instead of on
// every send (a third of the SDK's own CPU for a small S3 call). The cached handler shares one
// context between concurrent calls of a class; that is safe here because everything a call keeps
// there is the same for every call of one client — its region, credentials and signing scope
// (one client per service and region, no region redirects, no S3 Express buckets) — and the
// per-bucket endpoint is read in the same tick it is set. A test reads many buckets in two
// regions at once and checks each gets its own answers.

interface CommonConfig {
  region: string;
  maxAttempts: number;
  retryStrategy: ReturnType<typeof createRetryStrategy>;
  requestHandler: NonNullable<S3ClientConfig['requestHandler']>;
  logger: Logger;
  cacheMiddleware: boolean;
  credentials?: AwsCredentialIdentityProvider;
  endpoint?: string;
}

interface AnyClient {
  middlewareStack: { add(middleware: never, options: ReturnType<typeof callCountingMiddleware>['options']): void };
}

export function createAwsClients(options: CreateAwsClientsOptions): AwsClients {
  const { settings } = options;
  const requestHandler = options.requestHandler ?? nodeHandler(settings.callTimeoutMs);
  const totals: CallCounter = { calls: 0, throttles: 0 };
  const bucketRegions = new Map<string, string>();

  function config(service: AwsService, region: string): CommonConfig {
    const common: CommonConfig = {
      region,
      maxAttempts: settings.maxAttempts,
      // Attribution stops asking a region after its first failure that is not throttling: a
      // CloudTrail 5xx retried to exhaustion would only hold the scan up (CloudTrail answering 500
      // to every call once took half of a scan's time). Throttling keeps its backoff.
      retryStrategy: createRetryStrategy({ maxAttempts: settings.maxAttempts, ...options.retry, throttlingOnly: service === 'cloudtrail' }),
      requestHandler,
      logger: QUIET_LOGGER,
      cacheMiddleware: true,
    };
    if (options.credentials) common.credentials = options.credentials;
    const endpoint = settings.endpoints[service];
    if (endpoint !== undefined) common.endpoint = endpoint;
    return common;
  }

  /** A set of lazily made clients whose attempts count into `counters`. */
  function clientSet(counters: CallCounter[]): AwsServiceClients {
    const clients = new Map<string, AnyClient>();
    function cached<C extends AnyClient>(service: AwsService, region: string, make: (config: CommonConfig) => C): C {
      const key = `${service}:${region}`;
      const existing = clients.get(key);
      if (existing) return existing as C;
      const client = make(config(service, region));
      const counting = callCountingMiddleware(service, counters);
      client.middlewareStack.add(counting.middleware as never, counting.options);
      clients.set(key, client);
      return client;
    }
    return {
      ec2: (region) => cached('ec2', region, (c) => new EC2Client(c)),
      // A custom endpoint (LocalStack, an emulator) serves every bucket on one host, so buckets go
      // in the path rather than in a virtual-host name it cannot resolve.
      s3: (region) => cached('s3', region, (c) => new S3Client({ ...c, forcePathStyle: c.endpoint !== undefined })),
      rds: (region) => cached('rds', region, (c) => new RDSClient(c)),
      iam: () => cached('iam', IAM_REGION, (c) => new IAMClient(c)),
      sts: (region) => cached('sts', region, (c) => new STSClient(c)),
      cloudtrail: (region) => cached('cloudtrail', region, (c) => new CloudTrailClient(c)),
      settings,
      bucketRegions,
    };
  }

  return {
    ...clientSet([totals]),
    counting: (counter) => clientSet([totals, counter]),
    totals: () => ({ calls: totals.calls, throttles: totals.throttles }),
    // The pool belongs to the factory, not to a client: views share it and never close it.
    destroy: () => (requestHandler as { destroy?: () => void }).destroy?.(),
  };
}

function nodeHandler(callTimeoutMs: number): NodeHttpHandler {
  const agent = { keepAlive: true, maxSockets: 64 };
  return new NodeHttpHandler({
    // requestTimeout bounds the whole attempt; without throwOnRequestTimeout the handler only
    // logs a warning and the call could hang for as long as the server keeps the socket open.
    requestTimeout: callTimeoutMs,
    throwOnRequestTimeout: true,
    connectionTimeout: Math.min(callTimeoutMs, 10_000),
    httpAgent: agent,
    httpsAgent: agent,
  });
}
