// A synthetic repository for the patch benchmark: 200 files written the way real Terraform
// repositories are (aligned attributes, comments, nested blocks, heredoc and jsonencode
// policies, inline security group rules), and 1,000 drifts spread over them.
import type { Change } from '../src/drift/types.js';
import type { PatchTarget } from '../src/patch/types.js';
import type { GeneratedResource } from '../src/resources/family.js';
import type { HclModel, HclResourceBlock, SourceFile } from '../src/terraform/types.js';

export interface BenchCorpus {
  files: SourceFile[];
  model: HclModel;
  targets: PatchTarget[];
}

const POLICY = (bucket: string): string => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadArtifacts",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"]
    }
  ]
}`;

function fileText(n: number): string {
  return `# Service ${n}: compute, storage and access.
# Owned by team-${n % 7}.

resource "aws_instance" "app_${n}" {
  ami                    = "ami-0${(100000 + n).toString(16)}abcd"
  instance_type          = "t3.micro" # sized for staging
  subnet_id              = "subnet-0${n}aa"
  vpc_security_group_ids = ["sg-0${n}bb"]

  root_block_device {
    volume_type = "gp3"
    volume_size = 20
    encrypted   = true
  }

  tags = {
    Name        = "app-${n}"
    Environment = "staging"
  }
}

resource "aws_s3_bucket" "data_${n}" {
  bucket = "svc-${n}-data"

  tags = {
    Name = "svc-${n}-data"
  }
}

// Versioning is mandatory for data buckets.
resource "aws_s3_bucket_versioning" "data_${n}" {
  bucket = aws_s3_bucket.data_${n}.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_security_group" "web_${n}" {
  name        = "web-${n}"
  description = "Web tier ${n}"

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.${n % 250}.0.0/16"]
  }

  /* Outbound is open: the service calls third-party APIs. */
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "app_${n}" {
  name = "app-${n}"

  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "ec2.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}

resource "aws_iam_policy" "read_${n}" {
  name = "read-${n}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadArtifacts"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::svc-${n}-data", "arn:aws:s3:::svc-${n}-data/*"]
      },
    ]
  })
}
`;
}

function blocksOf(path: string, text: string): HclResourceBlock[] {
  const lines = text.split('\n');
  const blocks: HclResourceBlock[] = [];
  lines.forEach((line, i) => {
    const match = /^resource "([^"]+)" "([^"]+)" \{$/.exec(line);
    if (!match) return;
    let end = i;
    while (end < lines.length && lines[end] !== '}') end++;
    blocks.push({
      file: path,
      startLine: i + 1,
      endLine: end + 1,
      mode: 'managed',
      type: match[1] as string,
      name: match[2] as string,
      modulePath: [],
      moduleDir: '',
      hasCount: false,
      hasForEach: false,
      body: {},
    });
  });
  return blocks;
}

interface DriftSpec {
  kind: 'modified' | 'deleted' | 'unmanaged';
  address: string | null;
  type: string;
  id: string;
  changes: Change[];
  remediation: string | null;
  generated?: GeneratedResource;
}

/** The address a console-added rule lets in: a different one for every file. */
function visitor(n: number): string {
  return `10.${Math.floor(n / 250) % 256}.${n % 250}.7/32`;
}

/** The k-th drift of file n: the mix a fleet-wide scan finds (instance sizing and IMDS, tags,
 * bucket settings, console-added rules and policies, policy documents, deleted and stray
 * resources), varied per file so that values are not all the same. */
function driftFor(k: number, n: number): DriftSpec {
  const variant = n % 4;
  switch (k) {
    case 0: {
      const changes: Change[] = [{ path: 'instance_type', declared: 't3.micro', live: ['t3.large', 't3.xlarge', 'm5.large', 't3.medium'][variant] }];
      if (variant !== 1) changes.push({ path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' });
      if (variant === 0) changes.push({ path: 'root_block_device[0].volume_size', declared: 20, live: 20 + 10 * (n % 5) + 10 });
      if (variant === 2) changes.push({ path: 'tags.Environment', declared: 'staging', live: `hotfix-${n}` });
      if (variant === 3) changes.push({ path: 'tags.Owner', declared: null, live: `user${n}@example.com` });
      return { kind: 'modified', address: `aws_instance.app_${n}`, type: 'aws_instance', id: `i-0${n}`, remediation: null, changes };
    }
    case 1:
      return {
        kind: 'modified',
        address: `aws_s3_bucket_versioning.data_${n}`,
        type: 'aws_s3_bucket_versioning',
        id: `svc-${n}-data`,
        remediation: null,
        changes: [{ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }],
      };
    case 2: {
      const port = [22, 3389, 8080, 5432][variant] as number;
      return {
        kind: 'modified',
        address: `aws_security_group.web_${n}`,
        type: 'aws_security_group',
        id: `sg-0${n}bb`,
        remediation: `aws ec2 revoke-security-group-ingress --group-id sg-0${n}bb --protocol tcp --port ${port} --cidr ${visitor(n)}`,
        changes: [
          { path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: port, to_port: port, cidr_ipv4: visitor(n), description: 'temporary access', rule_id: `sgr-0${n}` } },
        ],
      };
    }
    case 3:
      if (variant === 0) {
        return {
          kind: 'modified',
          address: `aws_iam_role.app_${n}`,
          type: 'aws_iam_role',
          id: `app-${n}`,
          remediation: null,
          changes: [
            {
              path: 'assume_role_policy',
              declared: '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}]}',
              live: '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]}}]}',
            },
          ],
        };
      }
      return {
        kind: 'modified',
        address: `aws_iam_role.app_${n}`,
        type: 'aws_iam_role',
        id: `app-${n}`,
        remediation: `aws iam detach-role-policy --role-name app-${n} --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`,
        changes: [
          { path: 'managed_policy_arns', declared: null, live: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          { path: 'max_session_duration', declared: 3600, live: 43200 },
        ],
      };
    default:
      if (variant === 0) {
        return {
          kind: 'modified',
          address: `aws_iam_policy.read_${n}`,
          type: 'aws_iam_policy',
          id: `arn:aws:iam::123456789012:policy/read-${n}`,
          remediation: null,
          changes: [{ path: 'policy', declared: JSON.stringify(JSON.parse(POLICY(`svc-${n}-data`))), live: JSON.stringify(JSON.parse(POLICY(`svc-${n}-other`))) }],
        };
      }
      if (variant === 1) return { kind: 'deleted', address: `aws_iam_policy.read_${n}`, type: 'aws_iam_policy', id: `arn:aws:iam::123456789012:policy/read-${n}`, remediation: null, changes: [] };
      return {
        kind: 'unmanaged',
        address: null,
        type: 'aws_s3_bucket',
        id: `stray-${n}`,
        remediation: `aws s3 rb s3://stray-${n}`,
        changes: [],
        generated: { type: 'aws_s3_bucket', name: `stray_${n}`, importId: `stray-${n}`, attributes: { bucket: `stray-${n}`, tags: { CreatedBy: 'console' } }, blocks: {} },
      };
  }
}

/** `firstFile` numbers the files (and so every name and value in them): corpora with different
 * first files share no text, so no cache carries over from one to the other. */
export function benchCorpus(fileCount = 200, driftsPerFile = 5, firstFile = 0): BenchCorpus {
  const files: SourceFile[] = [];
  const resources: HclResourceBlock[] = [];
  for (let n = firstFile; n < firstFile + fileCount; n++) {
    const path = `services/svc_${String(n).padStart(3, '0')}.tf`.replace('services/', '');
    const text = fileText(n);
    files.push({ path, text });
    resources.push(...blocksOf(path, text));
  }
  const model: HclModel = {
    files: files.map((f) => f.path),
    backend: null,
    providers: [{ file: 'providers.tf', startLine: 1, endLine: 9, alias: null, region: 'us-east-1', defaultTags: { ManagedBy: 'terraform' }, assumeRole: null, modulePath: [] }],
    resources,
    modules: [],
    requiredVersion: '>= 1.7.0',
    variables: {},
    errors: [],
  };
  const targets: PatchTarget[] = [];
  for (let n = firstFile; n < firstFile + fileCount; n++) {
    for (let k = 0; k < driftsPerFile; k++) {
      const spec = driftFor(k, n);
      const block = spec.address === null ? null : (resources.find((r) => `${r.type}.${r.name}` === spec.address) ?? null);
      targets.push({
        fingerprint: `bench-${n}-${k}`,
        kind: spec.kind,
        address: spec.address,
        type: spec.type,
        id: spec.id,
        changes: spec.changes,
        block,
        moduleCalls: [],
        // One instance per block, as the state of a configuration without count or for_each holds.
        instances: spec.address === null ? null : [spec.address],
        generated: spec.generated ?? null,
        remediation: spec.remediation,
      });
    }
  }
  return { files, model, targets };
}
