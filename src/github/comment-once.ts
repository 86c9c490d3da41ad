// A state change with a comment (close, reopen) posts the comment first and changes the state
// second. A crash in between leaves the state as it was, so the next reconcile plans the same write
// again and converges; this function keeps that retry from posting the comment twice. Each comment
// carries a hidden tag, and when the issue has comments, the ones since its last update (which the
// crashed comment itself made) are read once and the comment is skipped if its tag is there. A
// state change bumps the update time, so an older comment with the same tag (an earlier episode)
// is never mistaken for this one.
import { assertWithinLimit, BODY_LIMIT } from './github-limits.js';
import type { GitHubSession } from './github-session.js';
import { loginOf } from './issue-facts.js';

export interface CommentTarget {
  number: number;
  /** Comments on it when read (0: nothing to read back); null when unknown (a pull request list
   * does not say), then they are read. */
  comments: number | null;
  /** Its `updated_at` when read, null when unknown (then the comment is posted). */
  updatedAt: string | null;
}

/** Tags are invisible: an HTML comment that parseMarker does not take for a surface marker. */
export function commentTag(tag: string): string {
  return `<!-- driftwatch-comment:${tag.replace(/--/g, '-').replace(/>/g, '')} -->`;
}

export async function commentOnce(session: GitHubSession, target: CommentTarget, comment: string, tag: string): Promise<void> {
  const hidden = commentTag(tag);
  const body = assertWithinLimit(`${comment}\n\n${hidden}`, BODY_LIMIT, `comment on #${target.number}`);
  if (target.comments !== 0 && target.updatedAt) {
    // A second of slack: `since` compares whole seconds, and the comment may share the issue's.
    const since = new Date(Date.parse(target.updatedAt) - 1000).toISOString();
    const { data } = await session.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: target.number, since, per_page: 100 });
    const posted = (Array.isArray(data) ? data : []).some((item) => {
      const existing = item as { body?: unknown; user?: unknown };
      const author = loginOf(existing.user);
      return typeof existing.body === 'string' && existing.body.includes(hidden) && (session.botLogin === null || author?.toLowerCase() === session.botLogin.toLowerCase());
    });
    if (posted) {
      session.report.notes.push(`#${target.number}: the comment of an interrupted write was already posted; not posted again`);
      return;
    }
  }
  await session.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: target.number, body });
}
