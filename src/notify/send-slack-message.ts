// Posts one message to a Slack incoming webhook, at most once per notification key: the key is
// claimed in the store before the first attempt (a redelivered webhook, a retried job or a second
// replica finds it claimed and sends nothing), and the outcome is recorded after the last one.
// 5xx answers, 429 (waiting out its retry-after) and network errors are retried with exponential
// backoff, boundedly; any other answer is final. Nothing here throws: a failing webhook never
// fails a scan. The webhook URL is a secret (it alone lets anyone post): only the channel name
// is logged or recorded, and error texts are scrubbed of the URL.
import { IncomingWebhook, IncomingWebhookHTTPError, IncomingWebhookRequestError, type FetchFunction } from '@slack/webhook';
import type { JobLogger } from '../jobs/types.js';
import type { Store } from '../store/types.js';
import { clip } from './slack-blocks.js';
import type { NotificationKind, SlackMessage, SlackSendOutcome } from './types.js';

export interface SlackRetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubles for each later one. */
  baseDelayMs: number;
  /** The longest wait between two attempts; a 429 asking for longer is not waited out. */
  maxDelayMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
}

export const DEFAULT_SLACK_RETRY: SlackRetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000, timeoutMs: 10_000 };

export interface SlackSendRequest {
  /** The configured channel name: what logs and the store show. */
  channel: string;
  /** From the server's environment only; never logged. */
  webhookUrl: string;
  message: SlackMessage;
  notification: { key: string; kind: NotificationKind; repo: string; workspace: string };
}

export interface SlackSendDeps {
  store: Pick<Store, 'claimNotification' | 'finishNotification'>;
  log: JobLogger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  retry?: Partial<SlackRetryPolicy>;
}

type AttemptResult = { ok: true } | { ok: false; retryable: boolean; error: string; retryAfterMs: number | null };

export async function sendSlackMessage(request: SlackSendRequest, deps: SlackSendDeps): Promise<SlackSendOutcome> {
  const { channel, notification } = request;
  const { key } = notification;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const policy = { ...DEFAULT_SLACK_RETRY, ...deps.retry };
  const meta = { channel, key, kind: notification.kind, repo: notification.repo, workspace: notification.workspace };

  let claimed: boolean;
  try {
    claimed = await deps.store.claimNotification({ ...notification, channel, createdAt: now().toISOString() });
  } catch (error) {
    // Without the claim nothing guards against a second send: better not to send at all.
    const reason = `the notification could not be recorded before sending (${describe(error, request.webhookUrl)}); not sent`;
    deps.log.error({ ...meta, error: reason }, 'Slack message not sent: the store did not take its claim');
    return { status: 'failed', key, attempts: 0, error: reason };
  }
  if (!claimed) {
    deps.log.info(meta, 'Slack message already sent or being sent for this key; not sending it again');
    return { status: 'duplicate', key };
  }

  let attempts = 0;
  let failure = '';
  while (attempts < policy.attempts) {
    attempts += 1;
    const result = await attempt(request, policy.timeoutMs);
    if (result.ok) {
      await finish(deps, meta, { status: 'sent', attempts, error: null, at: now().toISOString() });
      deps.log.info({ ...meta, attempts }, 'Slack message sent');
      return { status: 'sent', key, attempts };
    }
    failure = result.error;
    if (!result.retryable || attempts >= policy.attempts) break;
    if (result.retryAfterMs !== null && result.retryAfterMs > policy.maxDelayMs) {
      failure = `${result.error}; Slack asked to wait ${Math.ceil(result.retryAfterMs / 1000)} s, longer than the ${policy.maxDelayMs / 1000} s a message may wait`;
      break;
    }
    const delayMs = result.retryAfterMs ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
    deps.log.warn({ ...meta, attempt: attempts, delayMs, error: result.error }, 'Slack webhook failed; retrying');
    await sleep(delayMs);
  }
  await finish(deps, meta, { status: 'failed', attempts, error: failure, at: now().toISOString() });
  deps.log.error({ ...meta, attempts, error: failure }, 'Slack message not sent');
  return { status: 'failed', key, attempts, error: failure };
}

async function attempt(request: SlackSendRequest, timeoutMs: number): Promise<AttemptResult> {
  let retryAfter: string | null = null;
  // @slack/webhook's errors carry the status and body but not the headers: read retry-after here.
  const fetchRecordingRetryAfter: FetchFunction = async (url, init) => {
    const response = await fetch(url, init);
    retryAfter = response.headers.get('retry-after');
    return response;
  };
  try {
    // Its own retries off: this loop retries, so it can honour retry-after and record attempts.
    const webhook = new IncomingWebhook(request.webhookUrl, { fetch: fetchRecordingRetryAfter, timeout: timeoutMs, retryConfig: { retries: 0 } });
    await webhook.send({ ...request.message, unfurl_links: false, unfurl_media: false });
    return { ok: true };
  } catch (error) {
    const message = describe(error, request.webhookUrl);
    if (error instanceof IncomingWebhookHTTPError) {
      const status = error.statusCode;
      return { ok: false, retryable: status >= 500 || status === 429, error: message, retryAfterMs: status === 429 ? retryAfterMs(retryAfter) : null };
    }
    return { ok: false, retryable: error instanceof IncomingWebhookRequestError, error: message, retryAfterMs: null };
  }
}

async function finish(deps: SlackSendDeps, meta: { key: string; channel: string }, outcome: Parameters<Store['finishNotification']>[1]): Promise<void> {
  try {
    await deps.store.finishNotification(meta.key, outcome);
  } catch (error) {
    // The claim stands, so the message is still never sent twice; only its outcome is missing.
    deps.log.error({ ...meta, status: outcome.status, error: error instanceof Error ? error.message : String(error) }, 'Slack message outcome could not be recorded');
  }
}

/** Seconds (Slack's form) or an HTTP date; absent or unreadable: one second. */
function retryAfterMs(header: string | null): number {
  if (header === null) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1_000 : Math.max(0, date - Date.now());
}

/** A short reason for logs and the store, with the webhook URL (a secret) taken out. */
function describe(error: unknown, webhookUrl: string): string {
  let text: string;
  if (error instanceof IncomingWebhookHTTPError) {
    const body = error.body.trim();
    text = `Slack answered HTTP ${error.statusCode}${body === '' ? '' : `: ${body}`}`;
  } else if (error instanceof IncomingWebhookRequestError) {
    const cause = error.original.cause instanceof Error ? `: ${error.original.cause.message}` : '';
    text = `Slack could not be reached: ${error.original.message}${cause}`;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  return clip(scrubWebhookUrl(text, webhookUrl), 300);
}

export function scrubWebhookUrl(text: string, webhookUrl: string): string {
  let out = text;
  const variants = [webhookUrl];
  try {
    const url = new URL(webhookUrl);
    variants.push(`${url.host}${url.pathname}`, url.pathname);
  } catch {
    // Not a URL: the text variant above is all there is to remove.
  }
  for (const variant of variants) if (variant.length > 1) out = out.split(variant).join('[webhook URL]');
  // Any other Slack webhook path (a redirect, a proxy's wording) is a secret too.
  return out.replace(/\/services\/[A-Za-z0-9/_-]+/g, '/services/[redacted]');
}
