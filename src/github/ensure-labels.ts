// Labels a drift issue carries exist, with driftwatch's colours, before the issue is written:
// GitHub would make a missing one grey on its own. One listing per reconcile, and only when an
// issue write carries labels; a label made meanwhile by someone else (422) is fine.
import type { GitHubSession } from './github-session.js';

const COLOURS: Record<string, { color: string; description: string }> = {
  drift: { color: '5319e7', description: 'Live infrastructure differs from Terraform state (driftwatch)' },
  'severity:critical': { color: 'b60205', description: 'Drift severity: critical' },
  'severity:high': { color: 'd93f0b', description: 'Drift severity: high' },
  'severity:medium': { color: 'fbca04', description: 'Drift severity: medium' },
  'severity:low': { color: '0e8a16', description: 'Drift severity: low' },
};
/** The configuration's own labels: GitHub's neutral grey. */
const OTHER = { color: 'ededed', description: 'Added to drift issues by driftwatch' };

export function labelStyle(name: string): { color: string; description: string } {
  return COLOURS[name.toLowerCase()] ?? OTHER;
}

export async function ensureLabels(session: GitHubSession, names: string[]): Promise<void> {
  const wanted = new Map<string, string>();
  for (const name of names) if (!wanted.has(name.toLowerCase())) wanted.set(name.toLowerCase(), name);
  if (wanted.size === 0) return;

  const existing = new Set<string>();
  try {
    for await (const page of session.pages('GET /repos/{owner}/{repo}/labels', { per_page: 100 })) {
      for (const label of page) {
        const name = label && typeof label === 'object' ? (label as { name?: unknown }).name : undefined;
        if (typeof name === 'string') existing.add(name.toLowerCase());
      }
    }
  } catch (error) {
    // The issue writes still go ahead: GitHub makes the labels itself, only without our colours.
    session.fail('list-labels', 'labels', error);
    return;
  }

  for (const [lower, name] of wanted) {
    if (existing.has(lower)) continue;
    try {
      await session.request('POST /repos/{owner}/{repo}/labels', { name, ...labelStyle(name) });
    } catch (error) {
      if ((error as { status?: number }).status === 422) continue;
      session.fail('create-label', name, error);
    }
  }
}
