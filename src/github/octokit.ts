// The Octokit the app gets for an installation (Probot's, with its retry and throttling plugins).
// Adapters take it as an argument; tests build one against nock.
import type { ProbotOctokit } from 'probot';

export type GitHubClient = InstanceType<typeof ProbotOctokit>;
