// The fake GitHub, for end-to-end tests and benchmarks: see server.ts.
export { serveFakeGitHub, type FakeGitHubOptions, type FakeGitHubServer, type InjectedFailure, type RecordedRequest } from './server.js';
export { FakeGitHub, type FakeCheckRun, type FakeComment, type FakeIssue, type FakeRepository, type Permission } from './model.js';
export { filesFromDirectory, seedRepository } from './seed.js';
export { deliver, installationCreated, issueCommentCreated, issuesEvent, pullRequest, push, type Delivery } from './webhooks.js';
