// Where a workspace's state comes from, in order: an explicit --state (a file or s3://bucket/key),
// the root module's backend block (s3 or local), or terraform.tfstate beside the configuration.
import path from 'node:path';
import { DriftwatchError } from '../errors.js';
import { readLocalState } from '../terraform/backend-file.js';
import { parseS3Url, readS3State } from '../terraform/backend-s3.js';
import { diskFileSource } from '../terraform/disk-file-source.js';
import type { FileSource } from '../terraform/file-source.js';
import type { HclModel } from '../terraform/types.js';
import type { S3Client } from '@aws-sdk/client-s3';

export interface StateSource {
  text: string;
  source: string;
  /** The bucket the state lives in: never reported as unmanaged. */
  bucket: string | null;
}

export interface ReadStateOptions {
  dir: string;
  model: HclModel;
  /** --state: a path (relative to the working directory, or to the repository root for a
   * repository source) or s3://bucket/key. */
  state?: string;
  /** Where local paths are read: the disk (default) or the repository at the scanned commit. */
  files?: FileSource;
  terraformWorkspace: string;
  defaultRegion: string;
  s3: () => (region: string) => S3Client;
}

export async function readWorkspaceState(options: ReadStateOptions): Promise<StateSource> {
  const workspace = options.terraformWorkspace === 'default' ? null : options.terraformWorkspace;
  if (options.state?.startsWith('s3://')) {
    const { bucket, key } = parseS3Url(options.state);
    const read = await readS3State({ bucket, key, workspace, s3: options.s3(), defaultRegion: options.defaultRegion });
    return { text: read.text, source: read.source, bucket };
  }
  const files = options.files ?? diskFileSource();
  const local = (relative: string, base = ''): string => (files.origin === 'disk' ? path.resolve(base, relative) : path.posix.join(base, relative));
  if (options.state) {
    const read = await readLocalState(local(options.state), files);
    return { ...read, bucket: null };
  }
  const backend = options.model.backend;
  if (backend?.type === 's3' && backend.s3) {
    const { bucket, key, region, workspaceKeyPrefix } = backend.s3;
    if (!bucket || !key) {
      const fix = files.origin === 'disk' ? 'pass --state s3://<bucket>/<key>' : "set the workspace's state: s3://<bucket>/<key> in .github/driftwatch.yml";
      throw new DriftwatchError('backend', `the s3 backend in ${backend.file}:${backend.startLine} has no literal bucket and key (they come from -backend-config?): ${fix}`);
    }
    const read = await readS3State({ bucket, key, region, workspace, workspaceKeyPrefix, s3: options.s3(), defaultRegion: options.defaultRegion });
    return { text: read.text, source: read.source, bucket };
  }
  if (backend && backend.type !== 'local') {
    const fix = files.origin === 'disk' ? 'pass --state state.tfstate' : "commit it and set the workspace's state: path in .github/driftwatch.yml, or move the state to an s3 backend";
    throw new DriftwatchError('backend', `the "${backend.type}" backend (${backend.file}:${backend.startLine}) is not read directly: run \`terraform state pull > state.tfstate\` and ${fix}`);
  }
  const configured = typeof backend?.config.path === 'string' ? backend.config.path : 'terraform.tfstate';
  // The local backend keeps other workspaces under terraform.tfstate.d/<workspace>/.
  const relative = workspace ? path.posix.join('terraform.tfstate.d', workspace, 'terraform.tfstate') : configured;
  const read = await readLocalState(local(relative, options.dir), files);
  return { ...read, bucket: null };
}
