import { describe, expect, it } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../../src/report/render-markdown.js';
import type { ReportDrift } from '../../src/report/types.js';
import { bucketDeleted, drifted, hostileDrift, imdsReenabled, misread, partial, quiet, resultWith, sshWorldOpen, tagsOnly, unmanagedInstance } from './fixtures/scan-results.js';
import { blockStructure, expectTablesIntact, outsideCode, PAYLOADS } from './markdown-structure.js';

function hostileResult(payload: string) {
  const diff = `diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,2 +1,3 @@\n \`\`\`\n+  description = "${payload}"\n </details>\n`;
  const drift = hostileDrift(payload, {
    attribution: { ...sshWorldOpen.attribution!, actor: payload, eventName: payload, sourceIp: payload },
    location: { file: payload, line: 1 },
    patch: { ...imdsReenabled.patch!, note: payload, files: [{ path: payload, before: '', after: '', diff }], remediation: `aws ec2 revoke --description "${payload}"` },
  });
  return resultWith([drift, { ...unmanagedInstance, id: payload, type: payload }], {
    status: 'partial',
    workspace: payload,
    notes: [payload],
    unknown: [{ type: payload, reason: payload }],
  });
}

describe('renderMarkdown', () => {
  it.each([
    ['drifted', drifted],
    ['partial', partial],
    ['misread', misread],
    ['quiet', quiet],
  ])('renders the %s scan', async (name, result) => {
    await expect(renderMarkdown(result)).toMatchFileSnapshot(`__snapshots__/${name}.md`);
  });

  it('says plainly that nothing drifted', () => {
    const markdown = renderMarkdown(quiet);
    expect(markdown).toContain('✅ **No drift.** Live AWS matches the Terraform state.');
    expect(markdown).not.toContain('| Severity |');
  });

  it('warns that a partial scan is partial, and does not call it clean', () => {
    const markdown = renderMarkdown({ ...quiet, status: 'partial', unknown: partial.unknown });
    expect(markdown).toContain('> [!WARNING]\n> **Partial scan.** 1 resource type could not be read');
    expect(markdown).not.toContain('Live AWS matches the Terraform state');
    expect(markdown).toContain('### Not scanned');
  });

  it('warns that a scan whose configuration was not fully read is partial, with every error', () => {
    const markdown = renderMarkdown(misread);
    expect(markdown).toContain(
      [
        '> [!WARNING]',
        '> **Partial scan.** The configuration could not be fully read (3 errors in `dns.tf.json`, `security.tf`): resources written in what these errors cover have no location or patch, and a provider or backend written there is unknown. Fix them and scan again.',
        '>',
        '> - `dns.tf.json:5:32`: JSON syntax error: trailing comma \\(JSON allows none before \\`\\}\\` or \\`\\]\\`\\)',
        '> - `security.tf:9:3`: syntax error: missing \\`\\]\\` to close the list that starts on line 8',
        '> - `security.tf:21:15`: syntax error: unexpected \\`+\\`',
      ].join('\n'),
    );
    const both = renderMarkdown({ ...misread, unknown: partial.unknown });
    expect(both).toContain('> **Partial scan.** 1 resource type could not be read');
    expect(both).toContain('> The configuration could not be fully read (3 errors');
  });

  it('groups drifts under severity headings, most severe first', () => {
    const headings = renderMarkdown(drifted).split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual(['### 🔴 Critical (1)', '### 🟠 High (2)', '### 🟡 Medium (1)', '### 🔵 Low (1)']);
  });

  it('folds a patch diff into <details>, with the blank lines GitHub needs to render the fence', () => {
    const markdown = renderMarkdown(resultWith([imdsReenabled]));
    expect(markdown).toContain('<details>\n<summary>Restore patch: compute.tf</summary>\n\n```diff\ndiff --git a/compute.tf b/compute.tf\n');
    expect(markdown).toContain('+  monitoring             = false\n \n   user_data = <<-EOT\n     #!/bin/bash\n```\n\n</details>');
  });

  it('shows a remediation command as a shell block', () => {
    expect(renderMarkdown(resultWith([unmanagedInstance]))).toContain('**Command**\n\n```sh\naws ec2 terminate-instances --region us-east-1 --instance-ids i-0f3a9c2b7d1e4a5b6\n```');
  });

  it('says what a deleted drift is when it has no changes', () => {
    expect(renderMarkdown(resultWith([bucketDeleted]))).toContain('_In the Terraform state, not found in AWS._');
  });

  it('masks values under secret-like attribute names', () => {
    const markdown = renderMarkdown(resultWith([{ ...sshWorldOpen, changes: [{ path: 'master_password', declared: 'FIXTURE-not-a-secret', live: 'FIXTURE-rotated' }] }]));
    expect(markdown).toContain('| `master_password` | `(sensitive)` | `(sensitive)` |');
    expect(markdown).not.toContain('FIXTURE');
  });

  describe.each(PAYLOADS)('with cloud data %j everywhere', (payload) => {
    const markdown = renderMarkdown(hostileResult(payload));
    const text = outsideCode(markdown);

    it('mentions nobody and links no issue', () => {
      expect(text).not.toMatch(/@[A-Za-z0-9]/);
      // Numeric entities (`&#91;` in <summary>) render as characters, not references.
      expect(text.replace(/&#\d+;/g, '')).not.toMatch(/#\d/);
      expect(text).not.toMatch(/GH-\d/);
    });

    it('lets no raw HTML through but its own <details>', () => {
      const tags = text.match(/<\/?[A-Za-z!][^>]*>?/g) ?? [];
      expect(tags.filter((tag) => !/^<\/?(details|summary)>$/.test(tag))).toEqual([]);
    });

    it('makes no link, image or autolink', () => {
      const withoutAlert = text.replace(/^> \[!WARNING\]$/m, '');
      expect(withoutAlert).not.toMatch(/(?<!\\)[[\]]/);
      expect(withoutAlert).not.toMatch(/:\/\//);
    });

    it('injects no heading, list, quote or table row: the block structure is that of benign data', () => {
      expect(blockStructure(markdown)).toEqual(blockStructure(renderMarkdown(hostileResult('benign'))));
    });

    it('keeps every table row inside its columns', () => {
      expectTablesIntact(markdown);
    });

    it('keeps the diff and the command inside their fences', () => {
      expect(markdown.split('\n').filter((line) => line === '</details>')).toHaveLength(1);
      expect(markdown).toContain(`+  description = "${payload}"`.split('\n')[0]);
    });
  });

  it('truncates at maxDrifts with an "and N more" line, keeping the most severe', () => {
    const markdown = renderMarkdown(drifted, { maxDrifts: 2 });
    expect(markdown.split('\n').filter((line) => line.startsWith('#### '))).toEqual([
      '#### Opened to the entire internet \\(0.0.0.0/0\\) on port 22',
      '#### Bucket kiln-legacy-artifacts was deleted outside Terraform',
    ]);
    expect(markdown).toContain('_…and 3 more drifts not shown here (1 high, 1 medium, 1 low)._');
    expect(markdown).toContain('| 🟠 High | 2 |');
  });

  it('shows no drift section at maxDrifts 0, only the count', () => {
    const markdown = renderMarkdown(drifted, { maxDrifts: 0 });
    expect(markdown).not.toContain('#### ');
    expect(markdown).toContain('_…and 5 more drifts not shown here (1 critical, 2 high, 1 medium, 1 low)._');
  });

  it(`stays under ${MARKDOWN_LIMIT} characters however many drifts there are`, () => {
    const long = 'x'.repeat(1000);
    const changes = Array.from({ length: 40 }, (_, index) => ({ path: `tags.k${index}`, declared: long, live: { value: long } }));
    const drifts: ReportDrift[] = Array.from({ length: 400 }, (_, index) => ({
      ...(index % 2 === 0 ? tagsOnly : sshWorldOpen),
      fingerprint: index.toString(16).padStart(64, '0'),
      changes,
    }));
    const markdown = renderMarkdown(resultWith(drifts, { notes: Array.from({ length: 500 }, () => long) }));
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(markdown).toMatch(/_…and \d+ more drifts not shown here \(\d+ critical, 200 low\)\._/);
    expect(markdown).toContain('_…and 10 more changes._');
    expect(markdown).toContain('- _…and 480 more notes._');
    expectTablesIntact(markdown);
  });

  it('replaces a diff too long to show with a line, and keeps the drift', () => {
    const diff = `diff --git a/main.tf b/main.tf\n${'+  # padding line of a very large generated edit\n'.repeat(2000)}`;
    const patch = { ...imdsReenabled.patch!, files: [{ path: 'main.tf', before: '', after: '', diff }] };
    const markdown = renderMarkdown(resultWith([{ ...imdsReenabled, patch }]));
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(markdown).toContain('_The patch (2001 lines) is too long to show here._');
    expect(markdown).not.toContain('<details>');
    expect(markdown).toContain('#### Instance metadata service accepts IMDSv1');
  });

  it('shows no diff it cannot carry exactly (CRLF line endings, control characters), and says where to take it from', () => {
    const diff = 'diff --git a/main.tf b/main.tf\r\n--- a/main.tf\n+++ b/main.tf\n@@ -1 +1 @@\n-a = 1\r\n+a = 2\r\n';
    const patch = { ...imdsReenabled.patch!, status: 'edit' as const, files: [{ path: 'main.tf', before: 'a = 1\r\n', after: 'a = 2\r\n', diff }] };
    const markdown = renderMarkdown(resultWith([{ ...imdsReenabled, patch }]));
    expect(markdown).not.toContain('```diff');
    expect(markdown).toContain('--patch-file');
    expect(markdown).toContain('#### Instance metadata service accepts IMDSv1');
  });

  it('escapes a title given as an option', () => {
    expect(renderMarkdown(quiet, { title: 'Drift in @acme/infra #3' }).split('\n')[0]).toBe('## Drift in @\u200dacme/infra \\#\u200d3');
  });

  it('renders through templates given as options', () => {
    const markdown = renderMarkdown(resultWith([tagsOnly]), {
      templates: { report: '{{drifts}}\n', drift: '**{{title}}** ({{resource}})\n' },
    });
    expect(markdown).toBe('### 🔵 Low (1)\n\n**Tags changed: Name, Owner** (`aws_security_group.lb` (`sg-0d5c4b3a29180f7e6`) · modified outside Terraform · `security.tf` line 4)\n');
  });

  it('throws on a template placeholder it has no value for', () => {
    expect(() => renderMarkdown(quiet, { templates: { report: '{{title}}\n{{sumary}}\n' } })).toThrow(DriftwatchError);
  });
});
