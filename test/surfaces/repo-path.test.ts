import { describe, expect, it } from 'vitest';
import { rebaseDiff, repoPath } from '../../src/surfaces/repo-path.js';

describe('repoPath', () => {
  it.each([
    ['infra', 'network.tf', 'infra/network.tf'],
    ['infra/prod', 'modules/app/main.tf', 'infra/prod/modules/app/main.tf'],
    ['infra/prod', '../modules/net/main.tf', 'infra/modules/net/main.tf'],
    ['', 'main.tf', 'main.tf'],
    ['.', 'main.tf', 'main.tf'],
    ['infra/', './network.tf', 'infra/network.tf'],
    ['', '../outside.tf', null],
    ['infra', '../../outside.tf', null],
  ])('%j + %j → %j', (dir, file, expected) => {
    expect(repoPath(dir, file)).toBe(expected);
  });
});

describe('rebaseDiff', () => {
  it('rewrites the header paths, and not a removed line that looks like a header', () => {
    const diff = 'diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,2 +1,2 @@\n--- a/not-a-header\n+  x = 1\n';
    expect(rebaseDiff(diff, 'infra/prod')).toBe(
      'diff --git a/infra/prod/main.tf b/infra/prod/main.tf\n--- a/infra/prod/main.tf\n+++ b/infra/prod/main.tf\n@@ -1,2 +1,2 @@\n--- a/not-a-header\n+  x = 1\n',
    );
  });

  it('keeps /dev/null for a new file', () => {
    const diff = 'diff --git a/driftwatch_imports.tf b/driftwatch_imports.tf\nnew file mode 100644\n--- /dev/null\n+++ b/driftwatch_imports.tf\n@@ -0,0 +1,1 @@\n+import {}\n';
    expect(rebaseDiff(diff, 'infra')).toContain('--- /dev/null\n+++ b/infra/driftwatch_imports.tf\n');
  });

  it('leaves a diff of the root module as it is', () => {
    expect(rebaseDiff('diff --git a/main.tf b/main.tf\n', '')).toBe('diff --git a/main.tf b/main.tf\n');
  });
});
