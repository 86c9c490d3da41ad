// Webhook deliveries as GitHub sends them: real payloads from @octokit/webhooks-examples, pointed
// at one repository and installation, serialized once and signed with the app's secret
// (X-Hub-Signature-256, @octokit/webhooks-methods). Two mixes of the same events and sizes: one
// that starts scans (pushes to the default branch, pull requests opened, `/drift scan` comments),
// and one that starts none (a push to another branch, a pull request closed, a comment that is no
// command), for the baseline. Pings in both.
import { randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';

// GitHub's JSON, reached into freely: only fields GitHub documents are set.
type Payload = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export type DeliveryKind = 'push' | 'pull_request' | 'issue_comment' | 'ping';

export interface Delivery {
  kind: DeliveryKind;
  /** Starts a job in the app. */
  triggers: boolean;
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryTarget {
  owner: string;
  name: string;
  repositoryId: number;
  installationId: number;
  defaultBranch: string;
  /** The default branch's head commit (what a push delivers as `after`). */
  headSha: string;
  /** Paths a push to the default branch modified: one per workspace, taken in turn. */
  pushPaths: string[];
  /** Open pull requests and their head commits. */
  pulls: { number: number; headSha: string }[];
  /** An issue a `/drift scan` comment is made on. */
  issueNumber: number;
  /** Comments on that issue the deliveries name, in turn (the app reacts to each command). */
  commentIds: number[];
  /** A user with write access (a `/drift` comment from anyone else is refused). */
  commenter: string;
  webhookSecret: string;
}

/** Per round: how many deliveries of each kind (50 in all). */
export const ROUND_MIX: Record<DeliveryKind, number> = { push: 20, pull_request: 12, issue_comment: 6, ping: 12 };

function example(name: string, pick: (payload: Payload) => boolean): Payload {
  const event = (examples as unknown as { name: string; examples: Payload[] }[]).find((candidate) => candidate.name === name);
  const found = event?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name} example that fits`);
  return structuredClone(found);
}

function pointAt(payload: Payload, target: DeliveryTarget): Payload {
  const owner = { ...payload.repository.owner, login: target.owner };
  payload.repository = {
    ...payload.repository,
    id: target.repositoryId,
    name: target.name,
    full_name: `${target.owner}/${target.name}`,
    owner,
    default_branch: target.defaultBranch,
    master_branch: target.defaultBranch,
  };
  payload.installation = { id: target.installationId, node_id: `bench-installation-${target.installationId}` };
  if (payload.sender) payload.sender = { ...payload.sender, login: target.commenter, type: 'User' };
  return payload;
}

function push(target: DeliveryTarget, n: number, triggers: boolean): Payload {
  return pushPayload(target, triggers ? target.defaultBranch : `feature/bench-${n}`, [target.pushPaths[n % target.pushPaths.length]!]);
}

/** A push of the head commit to `branch`, modifying `paths`. */
export function pushPayload(target: DeliveryTarget, branch: string, paths: string[]): Payload {
  const payload = pointAt(example('push', (p) => p.installation && p.commits.length === 1), target);
  payload.ref = `refs/heads/${branch}`;
  payload.after = target.headSha;
  payload.head_commit = { ...payload.head_commit, id: target.headSha, modified: paths, added: [], removed: [] };
  payload.commits = [payload.head_commit];
  return payload;
}

function pullRequest(target: DeliveryTarget, n: number, triggers: boolean): Payload {
  const pull = target.pulls[n % target.pulls.length]!;
  const payload = pointAt(example('pull_request', (p) => p.action === (triggers ? 'opened' : 'closed')), target);
  payload.number = pull.number;
  payload.pull_request = {
    ...payload.pull_request,
    number: pull.number,
    head: { ...payload.pull_request.head, sha: pull.headSha, ref: `bench-${pull.number}` },
    base: { ...payload.pull_request.base, ref: target.defaultBranch },
  };
  return payload;
}

function issueComment(target: DeliveryTarget, n: number, triggers: boolean): Payload {
  const payload = pointAt(example('issue_comment', (p) => p.action === 'created' && !p.issue.pull_request), target);
  payload.issue = { ...payload.issue, number: target.issueNumber, body: 'Tracking drift in the bench repository.' };
  // The example's own comment text is no command: the baseline keeps it.
  payload.comment = { ...payload.comment, id: target.commentIds[n % target.commentIds.length], user: { ...payload.comment.user, login: target.commenter, type: 'User' }, ...(triggers ? { body: '/drift scan' } : {}) };
  return payload;
}

function ping(target: DeliveryTarget): Payload {
  const payload = example('ping', (p) => p.repository !== undefined);
  payload.repository = { ...payload.repository, name: target.name, full_name: `${target.owner}/${target.name}` };
  return payload;
}

/** `rounds` rounds of ROUND_MIX, each round's kinds interleaved, signed and ready to send. */
export async function deliveryRounds(target: DeliveryTarget, rounds: number, triggers: boolean): Promise<Delivery[][]> {
  const out: Delivery[][] = [];
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    const kinds: DeliveryKind[] = [];
    const left = { ...ROUND_MIX };
    while (Object.values(left).some((count) => count > 0)) {
      for (const kind of Object.keys(left) as DeliveryKind[]) {
        if (left[kind] > 0) {
          kinds.push(kind);
          left[kind]--;
        }
      }
    }
    const round: Delivery[] = [];
    for (const kind of kinds) {
      n++;
      const payload = kind === 'push' ? push(target, n, triggers) : kind === 'pull_request' ? pullRequest(target, n, triggers) : kind === 'issue_comment' ? issueComment(target, n, triggers) : ping(target);
      round.push(await signed(kind, kind !== 'ping' && triggers, payload, target.webhookSecret));
    }
    out.push(round);
  }
  return out;
}

export async function signed(kind: DeliveryKind, triggers: boolean, payload: Payload, secret: string): Promise<Delivery> {
  const body = JSON.stringify(payload);
  return {
    kind,
    triggers,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': kind,
      'x-github-delivery': randomUUID(),
      'x-github-hook-id': '123456',
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': await sign(secret, body),
    },
  };
}
