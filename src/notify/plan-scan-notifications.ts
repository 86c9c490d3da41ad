// What one workspace scan tells Slack, as data: the first scan of a workspace sends one summary
// (everything it found is new to driftwatch, not to the account); later scans send an alert per
// new, changed or recurred drift and a ✅ per resolved one, at or above `min_severity`; an
// unchanged drift, a failed or a disabled scan send nothing. Each message carries the key that
// makes it unique per transition and destination, so it is never sent twice.
import type { SlackConfig } from '../config/repo-config.js';
import { slackChannelKey } from '../config/slack-channel.js';
import { scrubSecrets } from '../drift/redact.js';
import type { FindingRecord, RecordScanResult, Transition } from '../store/types.js';
import { alertMessage } from './alert-message.js';
import { firstScanSummary } from './first-scan-summary.js';
import { atLeast, compareFindings } from './finding-text.js';
import { resolvedMessage } from './resolved-message.js';
import type { NotificationKind, SlackMessage } from './types.js';

export interface ScanNotificationInput {
  result: RecordScanResult;
  slack: Pick<SlackConfig, 'channel' | 'min_severity'>;
  links: { issues: ReadonlyMap<string, string>; dashboard: string | null };
  /** The workspace's IANA time zone, for the times messages show. */
  timezone: string;
  /** Secret values from the state (WorkspaceReport.secrets): scrubbed from every text. */
  secrets: readonly string[];
}

export interface PlannedNotification {
  key: string;
  kind: NotificationKind;
  message: SlackMessage;
}

export function planScanNotifications(input: ScanNotificationInput): PlannedNotification[] {
  const { result, slack, links, timezone } = input;
  const { scan } = result;
  const min = slack.min_severity;
  const transitions = result.transitions.map((transition) => scrubTransition(transition, input.secrets));
  const issueUrl = (finding: FindingRecord) => links.issues.get(finding.resourceKey) ?? null;
  // The channel's key, as its variable names it: `#infra-alerts` and `infra-alerts` are one destination.
  const prefix = `slack:${slackChannelKey(slack.channel)}:${scan.repo}:${scan.workspace}`;

  if (result.firstScan) {
    const found = transitions.filter((transition) => transition.kind === 'opened').map((transition) => transition.finding);
    if (!found.some((finding) => atLeast(finding.severity, min))) return [];
    const message = firstScanSummary({ repo: scan.repo, workspace: scan.workspace, findings: found, minSeverity: min, issueUrl, dashboardUrl: links.dashboard });
    return [{ key: `${prefix}:first-scan`, kind: 'summary', message }];
  }

  // Most severe first; resolutions after the alerts.
  const ordered = [...transitions].sort((a, b) => compareFindings(a.finding, b.finding));
  const planned: PlannedNotification[] = [];
  for (const transition of ordered) {
    if (transition.kind === 'unchanged' || transition.kind === 'resolved' || !atLeast(transition.finding.severity, min)) continue;
    planned.push({ key: transitionKey(prefix, transition), kind: 'alert', message: alertMessage({ transition, issueUrl: issueUrl(transition.finding), timezone }) });
  }
  for (const transition of ordered) {
    if (transition.kind !== 'resolved' || !atLeast(transition.finding.severity, min)) continue;
    const { finding } = transition;
    planned.push({ key: transitionKey(prefix, transition), kind: 'resolved', message: resolvedMessage({ finding, issueUrl: issueUrl(finding), timezone }) });
  }
  return planned;
}

/**
 * `slack:<channel>:<repo>:<workspace>:<resource key>:<fingerprint>:<transition>:<episode>`. The
 * episode keeps a drift that comes back with the same fingerprint (or is resolved again) from
 * reusing the key of its earlier episode; within one episode a drift that flaps back to a
 * fingerprint it had is not alerted again.
 */
function transitionKey(prefix: string, transition: Transition): string {
  const { finding } = transition;
  return `${prefix}:${finding.resourceKey}:${finding.fingerprint}:${transition.kind}:${finding.episode}`;
}

function scrubTransition(transition: Transition, secrets: readonly string[]): Transition {
  if (secrets.length === 0) return transition;
  const finding = scrubFinding(transition.finding, secrets);
  if (transition.kind === 'changed' || transition.kind === 'recurred') return { ...transition, finding, previous: scrubFinding(transition.previous, secrets) };
  return { ...transition, finding };
}

function scrubFinding(finding: FindingRecord, secrets: readonly string[]): FindingRecord {
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const attribution = finding.attribution === null
    ? null
    : {
        ...finding.attribution,
        actor: scrub(finding.attribution.actor),
        role: finding.attribution.role === null ? null : scrub(finding.attribution.role),
        sessionName: finding.attribution.sessionName === null ? null : scrub(finding.attribution.sessionName),
      };
  return {
    ...finding,
    title: scrub(finding.title),
    address: finding.address === null ? null : scrub(finding.address),
    cloudId: scrub(finding.cloudId),
    attribution,
  };
}
