// Turns an HTTP request the SDK sent into (service, region, operation, params), the way AWS
// routes it: service and region from the SigV4 credential scope (so custom endpoints work too),
// the operation from the query protocol's Action, the JSON protocol's X-Amz-Target, or S3's REST
// path and subresource.
import type { FakeService } from './render.js';

export interface RawRequest {
  method: string;
  host: string;
  /** Path with the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ParsedRequest {
  service: FakeService;
  region: string;
  operation: string;
  params: Record<string, string>;
  method: string;
  host: string;
  path: string;
  accessKeyId: string;
}

const S3_SUBRESOURCES: Record<string, string> = {
  location: 'GetBucketLocation',
  tagging: 'GetBucketTagging',
  versioning: 'GetBucketVersioning',
  encryption: 'GetBucketEncryption',
  publicAccessBlock: 'GetPublicAccessBlock',
  policy: 'GetBucketPolicy',
  acl: 'GetBucketAcl',
};

export function parseRequest(request: RawRequest): ParsedRequest {
  const authorization = header(request.headers, 'authorization') ?? '';
  const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!scope) throw new Error(`fake AWS: unsigned request ${request.method} ${request.host}${request.path}`);
  const [, accessKeyId, region, service] = scope as unknown as [string, string, string, FakeService];
  const url = new URL(request.path, `http://${request.host}`);
  const base = { service, region, method: request.method, host: request.host, path: request.path, accessKeyId };

  // JSON protocols (CloudTrail) name the operation in X-Amz-Target: "<Service_version>.<Operation>".
  const target = header(request.headers, 'x-amz-target');
  if (target) {
    const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    const params = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    return { ...base, operation: target.slice(target.lastIndexOf('.') + 1), params };
  }

  if (service !== 's3') {
    const params = Object.fromEntries(new URLSearchParams(request.body));
    const operation = params.Action;
    if (!operation) throw new Error(`fake AWS: no Action in ${service} request`);
    return { ...base, operation, params };
  }

  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  // Virtual-hosted style: <bucket>.s3.<region>.amazonaws.com; path style: /<bucket>/<key>.
  const virtualHost = /^(.+)\.s3[.-]/.exec(request.host.split(':')[0] ?? '');
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const bucket = virtualHost ? virtualHost[1] : segments.shift();
  const key = (virtualHost ? segments : segments).join('/');
  if (!bucket) return { ...base, operation: 'ListBuckets', params };
  params.Bucket = bucket;
  if (key) {
    params.Key = key;
    return { ...base, operation: request.method === 'HEAD' ? 'HeadObject' : 'GetObject', params };
  }
  if (request.method === 'HEAD') return { ...base, operation: 'HeadBucket', params };
  for (const [subresource, operation] of Object.entries(S3_SUBRESOURCES)) {
    if (url.searchParams.has(subresource)) return { ...base, operation, params };
  }
  if (url.searchParams.get('list-type') === '2') return { ...base, operation: 'ListObjectsV2', params };
  return { ...base, operation: 'ListObjects', params };
}

function header(headers: RawRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
