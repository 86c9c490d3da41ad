// Renders SDK output objects as the XML the real services send, with the SDK's own schemas and XML
// serializer, so the real clients parse them back exactly (the round trip is tested). EC2 speaks
// the EC2 query protocol, IAM/RDS/STS the AWS query protocol, S3 REST-XML.
import { createHash } from 'node:crypto';
import { XmlShapeSerializer } from '@aws-sdk/core/protocols';
import {
  DescribeInstances$,
  DescribeSecurityGroupRules$,
  DescribeSecurityGroups$,
  DescribeVolumes$,
} from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetails$, ListRoles$ } from '@aws-sdk/client-iam';
import { DescribeDBInstances$ } from '@aws-sdk/client-rds';
import {
  GetBucketAcl$,
  GetBucketTagging$,
  GetBucketVersioning$,
  ListBuckets$,
  PublicAccessBlockConfiguration$,
  ServerSideEncryptionConfiguration$,
} from '@aws-sdk/client-s3';
import { AssumeRole$, GetCallerIdentity$ } from '@aws-sdk/client-sts';

export type FakeService = 'ec2' | 's3' | 'rds' | 'iam' | 'sts' | 'cloudtrail';

export interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

// An operation schema is [9, namespace, name, traits, () => input, () => output].
type OperationSchema = readonly unknown[];

const OPERATIONS: Record<string, OperationSchema> = {
  DescribeInstances: DescribeInstances$,
  DescribeVolumes: DescribeVolumes$,
  DescribeSecurityGroups: DescribeSecurityGroups$,
  DescribeSecurityGroupRules: DescribeSecurityGroupRules$,
  DescribeDBInstances: DescribeDBInstances$,
  GetAccountAuthorizationDetails: GetAccountAuthorizationDetails$,
  ListRoles: ListRoles$,
  AssumeRole: AssumeRole$,
  GetCallerIdentity: GetCallerIdentity$,
  ListBuckets: ListBuckets$,
  GetBucketAcl: GetBucketAcl$,
  GetBucketTagging: GetBucketTagging$,
  GetBucketVersioning: GetBucketVersioning$,
};

const NAMESPACES: Record<Exclude<FakeService, 'cloudtrail'>, string> = {
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  rds: 'http://rds.amazonaws.com/doc/2014-10-31/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  s3: 'http://s3.amazonaws.com/doc/2006-03-01/',
};

let requestCounter = 0;

export function renderOutput(service: FakeService, operation: string, output: Record<string, unknown>): FakeResponse {
  const requestId = `req-${++requestCounter}`;
  const xmlHeaders = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  if (service === 's3') return renderS3Output(operation, output, requestId);
  if (service === 'cloudtrail') return { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify(output) };
  const schema = OPERATIONS[operation];
  if (!schema) throw new Error(`fake AWS cannot render ${service} ${operation}`);
  const outputSchema = (schema[5] as () => unknown)();
  const inner = innerXml(serialize(outputSchema, output, NAMESPACES[service]));
  const ns = NAMESPACES[service];
  if (service === 'ec2') {
    return { statusCode: 200, headers: xmlHeaders, body: `<${operation}Response xmlns="${ns}"><requestId>${requestId}</requestId>${inner}</${operation}Response>` };
  }
  return {
    statusCode: 200,
    headers: xmlHeaders,
    body: `<${operation}Response xmlns="${ns}"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

function renderS3Output(operation: string, output: Record<string, unknown>, requestId: string): FakeResponse {
  const headers = { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
  const ns = NAMESPACES.s3;
  switch (operation) {
    case 'GetObject':
    case 'HeadObject': {
      // The object's metadata in headers, as S3 sends it: a quoted MD5 ETag (single-part upload),
      // an HTTP date, the length in bytes. HEAD has the same headers and no body.
      const body = String(output.body ?? '');
      const objectHeaders = {
        'x-amz-request-id': requestId,
        'x-amz-id-2': hostId(requestId),
        'content-type': String(output.contentType ?? 'binary/octet-stream'),
        'content-length': String(Buffer.byteLength(body, 'utf8')),
        etag: `"${createHash('md5').update(body, 'utf8').digest('hex')}"`,
        'last-modified': new Date(String(output.lastModified)).toUTCString(),
        'accept-ranges': 'bytes',
        'x-amz-server-side-encryption': 'AES256',
        server: 'AmazonS3',
      };
      return { statusCode: 200, headers: objectHeaders, body: operation === 'HeadObject' ? '' : body };
    }
    case 'GetBucketLocation': {
      const constraint = output.LocationConstraint;
      const body = constraint ? `<LocationConstraint xmlns="${ns}">${escapeXml(String(constraint))}</LocationConstraint>` : `<LocationConstraint xmlns="${ns}"/>`;
      return { statusCode: 200, headers, body };
    }
    case 'GetBucketPolicy':
      return { statusCode: 200, headers: { ...headers, 'content-type': 'application/json' }, body: String(output.Policy ?? '') };
    case 'GetBucketEncryption':
      return { statusCode: 200, headers, body: serialize(ServerSideEncryptionConfiguration$, output.ServerSideEncryptionConfiguration, ns) };
    case 'GetPublicAccessBlock':
      return { statusCode: 200, headers, body: serialize(PublicAccessBlockConfiguration$, output.PublicAccessBlockConfiguration, ns) };
    case 'HeadBucket':
      return { statusCode: 200, headers: { ...headers, 'x-amz-bucket-region': String(output.BucketRegion ?? 'us-east-1') }, body: '' };
    default: {
      const schema = OPERATIONS[operation];
      if (!schema) throw new Error(`fake AWS cannot render s3 ${operation}`);
      return { statusCode: 200, headers, body: serialize((schema[5] as () => unknown)(), output, ns) };
    }
  }
}

export interface FakeError {
  code: string;
  status: number;
  message?: string;
  headers?: Record<string, string>;
  /** Elements S3 adds to its <Error> after the message: <Key> for NoSuchKey, <BucketName> for
   * NoSuchBucket. */
  details?: Record<string, string>;
}

export function renderError(service: FakeService, error: FakeError, method = 'POST'): FakeResponse {
  const requestId = `req-${++requestCounter}`;
  const message = escapeXml(error.message ?? `${error.code} (fake AWS)`);
  const code = escapeXml(error.code);
  if (service === 'cloudtrail') {
    const body = JSON.stringify({ __type: error.code, message: error.message ?? `${error.code} (fake AWS)` });
    return { statusCode: error.status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...error.headers }, body };
  }
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...error.headers };
  if (service === 's3') {
    // S3's own shape: an XML declaration, <Error> with no namespace, the details the code carries
    // (<Key>, <BucketName>), then <RequestId> and <HostId>. HEAD responses carry no body; the SDK
    // names the error from the status code (NotFound, Forbidden).
    const details = Object.entries(error.details ?? {})
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('');
    const body =
      method === 'HEAD'
        ? ''
        : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
    return { statusCode: error.status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), ...error.headers }, body };
  }
  if (service === 'ec2') {
    return {
      statusCode: error.status,
      headers,
      body: `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return {
    statusCode: error.status,
    headers,
    body: `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** S3's x-amz-id-2 / <HostId>: an opaque base64 token. */
function hostId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

function serialize(schema: unknown, value: unknown, namespace: string): string {
  const serializer = new XmlShapeSerializer({
    serviceNamespace: 'fake',
    timestampFormat: { default: 5, useTrait: true },
    xmlNamespace: namespace,
  } as never);
  serializer.write(schema as never, withDates(value));
  return String(serializer.flush());
}

/** The serializer wants Date objects where fixtures (JSON) hold ISO strings. */
function withDates(value: unknown): unknown {
  if (typeof value === 'string' && ISO_DATE.test(value)) return new Date(value);
  if (Array.isArray(value)) return value.map(withDates);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withDates(item)]));
  }
  return value;
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function innerXml(xml: string): string {
  const open = xml.indexOf('>');
  if (xml[open - 1] === '/') return '';
  return xml.slice(open + 1, xml.lastIndexOf('</'));
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
