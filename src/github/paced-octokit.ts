// Probot's Octokit class for the app, with its throttling and retry plugins off: the pacer
// (pacer.ts) waits out rate limits and retries 5xx for installation clients, and the plugins would
// fight it (plugin-throttling as Probot configures it gives up on a secondary limit after logging,
// holds writes a second apart on its own queue, and keys it "no-id" for event clients;
// plugin-retry repeats a 429 without reading retry-after and repeats POSTs that may have created an
// issue). The options must be set through a function: Probot replaces a `throttle` object given
// as plain defaults with its own, so `ProbotOctokit.defaults({ throttle: { enabled: false } })`
// leaves throttling on.
import { ProbotOctokit } from 'probot';

export const PacedProbotOctokit = ProbotOctokit.defaults((options: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
  retry: { ...options.retry, enabled: false },
}));
