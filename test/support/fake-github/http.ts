// The fake's HTTP plumbing: route templates in Octokit's own notation ("GET /repos/{owner}/
// {repo}/issues/{issue_number}"), GitHub's error bodies, and pagination with Link headers.

export interface FakeRequest {
  method: string;
  /** Path under /api/v3, without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  params: Record<string, string>;
  /** Absolute URL of this request (Link headers point at its other pages). */
  url: URL;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  response(documentation = 'https://docs.github.com/rest'): FakeResponse {
    return { status: this.status, body: { message: this.message, documentation_url: documentation, ...this.extra, status: String(this.status) }, headers: this.headers };
  }
}

export const notFound = () => new HttpError(404, 'Not Found');

/** 422 as GitHub words a failed validation. */
export function validationFailed(message: string, errors: Record<string, unknown>[] = []): HttpError {
  return new HttpError(422, message, errors.length > 0 ? { errors } : {});
}

export interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
}

/** `{name}` matches one segment (digits for *_number and *_id), `{+name}` the rest of the path. */
export function compileRoute(spec: string): Route {
  const [method = '', template = ''] = spec.split(' ');
  const names: string[] = [];
  const source = template.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{(\+?)(\w+)\}/g, (_match, plus: string, name: string) => {
    names.push(name);
    if (plus) return '(.+)';
    return /(_number|_id)$/.test(name) ? '(\\d+)' : '([^/]+)';
  });
  return { method, template, pattern: new RegExp(`^${source}$`), names };
}

export function matchRoute(route: Route, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const match = route.pattern.exec(path);
  if (!match) return null;
  const params: Record<string, string> = {};
  route.names.forEach((name, index) => {
    params[name] = decodeURIComponent(match[index + 1] ?? '');
  });
  return params;
}

/** One page of `items` as GitHub pages lists: per_page (default 30, at most `maxPerPage`), page,
 * and a Link header with next/last/first/prev as absolute URLs of this request. */
export function page<T>(request: FakeRequest, items: T[], maxPerPage = 100): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(maxPerPage, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
  const current = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(request.url);
    url.searchParams.set('page', String(n));
    // GitHub keeps the per_page the client asked for.
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (current > 1) links.push(link(current - 1, 'prev'));
  if (current < last) links.push(link(current + 1, 'next'), link(last, 'last'));
  if (current > 1) links.push(link(1, 'first'));
  return { items: items.slice((current - 1) * perPage, current * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

export function bodyObject(request: FakeRequest): Record<string, unknown> {
  if (request.body && typeof request.body === 'object' && !Array.isArray(request.body)) return request.body as Record<string, unknown>;
  if (request.body === undefined || request.body === null || request.body === '') return {};
  throw new HttpError(400, 'Problems parsing JSON');
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw validationFailed(`Invalid request.\n\n"${field}" wasn't supplied.`);
  return value;
}
