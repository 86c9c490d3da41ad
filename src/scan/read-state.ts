// Where a workspace's state comes from, in order: an explicit --state (a file or s3://bucket/key),
// the root module's backend block (s3 or local), or terraform.tfstate beside the configuration.
import path from 'node:path';
import { DriftwatchError } from '../errors.js';
import { readLocalState } from '../terraform/backend-file.js';
import { parseS3Url, readS3State } from '../terraform/backend-s3.js';
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
  /** --state: a path (relative to the working directory) or s3://bucket/key. */
  state?: string;
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
  if (options.state) {
    const read = await readLocalState(path.resolve(options.state));
    return { ...read, bucket: null };
  }
  const backend = options.model.backend;
  if (backend?.type === 's3' && backend.s3) {
    const { bucket, key, region, workspaceKeyPrefix } = backend.s3;
    if (!bucket || !key) {
      throw new DriftwatchError('backend', `the s3 backend in ${backend.file}:${backend.startLine} has no literal bucket and key (they come from -backend-config?): pass --state s3://<bucket>/<key>`);
    }
    const read = await readS3State({ bucket, key, region, workspace, workspaceKeyPrefix, s3: options.s3(), defaultRegion: options.defaultRegion });
    return { text: read.text, source: read.source, bucket };
  }
  if (backend && backend.type !== 'local') {
    throw new DriftwatchError('backend', `the "${backend.type}" backend (${backend.file}:${backend.startLine}) is not read directly: run \`terraform state pull > state.tfstate\` and pass --state state.tfstate`);
  }
  const configured = typeof backend?.config.path === 'string' ? backend.config.path : 'terraform.tfstate';
  // The local backend keeps other workspaces under terraform.tfstate.d/<workspace>/.
  const relative = workspace ? path.join('terraform.tfstate.d', workspace, 'terraform.tfstate') : configured;
  const read = await readLocalState(path.resolve(options.dir, relative));
  return { ...read, bucket: null };
}
