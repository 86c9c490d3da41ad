// The fields the writer uses from GitHub's issue and pull request objects, read permissively: an
// object without a number is not an issue; anything else missing takes a neutral value.

export interface IssueFacts {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  labels: string[];
  url: string;
  /** API URL of the repository (`…/repos/owner/name`): search answers from other repositories are dropped. */
  repositoryUrl: string;
  author: string | null;
  comments: number;
  updatedAt: string | null;
  isPullRequest: boolean;
}

export interface PullFacts {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  branch: string;
  body: string | null;
  url: string;
  updatedAt: string | null;
}

type Loose = Record<string, unknown>;

export function readIssueFacts(data: unknown): IssueFacts | null {
  if (!data || typeof data !== 'object') return null;
  const issue = data as Loose;
  if (typeof issue.number !== 'number') return null;
  return {
    number: issue.number,
    state: issue.state === 'closed' ? 'closed' : 'open',
    title: typeof issue.title === 'string' ? issue.title : '',
    body: typeof issue.body === 'string' ? issue.body : null,
    labels: Array.isArray(issue.labels) ? issue.labels.map(labelName).filter((name): name is string => name !== null) : [],
    url: typeof issue.html_url === 'string' ? issue.html_url : '',
    repositoryUrl: typeof issue.repository_url === 'string' ? issue.repository_url : '',
    author: loginOf(issue.user),
    comments: typeof issue.comments === 'number' ? issue.comments : 0,
    updatedAt: typeof issue.updated_at === 'string' ? issue.updated_at : null,
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  };
}

export function readPullFacts(data: unknown): PullFacts | null {
  if (!data || typeof data !== 'object') return null;
  const pull = data as Loose;
  if (typeof pull.number !== 'number') return null;
  const head = (pull.head ?? {}) as Loose;
  return {
    number: pull.number,
    state: pull.state === 'closed' ? 'closed' : 'open',
    merged: pull.merged === true || (typeof pull.merged_at === 'string' && pull.merged_at !== ''),
    branch: typeof head.ref === 'string' ? head.ref : '',
    body: typeof pull.body === 'string' ? pull.body : null,
    url: typeof pull.html_url === 'string' ? pull.html_url : '',
    updatedAt: typeof pull.updated_at === 'string' ? pull.updated_at : null,
  };
}

export function loginOf(user: unknown): string | null {
  return user && typeof user === 'object' && typeof (user as Loose).login === 'string' ? ((user as Loose).login as string) : null;
}

/** Whether an object from a list or a search belongs to `owner/name` (search can answer others). */
export function inRepository(repositoryUrl: string, repoKey: string): boolean {
  return repositoryUrl.toLowerCase().endsWith(`/repos/${repoKey.toLowerCase()}`);
}

function labelName(label: unknown): string | null {
  if (typeof label === 'string') return label;
  if (label && typeof label === 'object' && typeof (label as Loose).name === 'string') return (label as Loose).name as string;
  return null;
}
