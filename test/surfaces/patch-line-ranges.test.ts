import { describe, expect, it } from 'vitest';
import { changedLineRanges, patchLineRanges, WHOLE_FILE } from '../../src/surfaces/patch-line-ranges.js';

// `patch` fields as GET /repos/{owner}/{repo}/pulls/{n}/files returns them (git's hunks, no file
// headers), made by git diff from examples/shop/network.tf and small files.

/** network.tf: a description edited (line 8), the HTTP ingress block removed (the egress block now
 * starts where it was, line 15), a comment added in the db group (line 29). */
const NETWORK = `@@ -5,21 +5,13 @@ resource "aws_security_group" "web" {
   vpc_id      = "vpc-0a1b2c3d4e5f60718"
 
   ingress {
-    description = "HTTPS from anywhere"
+    description = "HTTPS from anywhere (ALB)"
     from_port   = 443
     to_port     = 443
     protocol    = "tcp"
     cidr_blocks = ["0.0.0.0/0"]
   }
 
-  ingress {
-    description = "HTTP, redirected to HTTPS"
-    from_port   = 80
-    to_port     = 80
-    protocol    = "tcp"
-    cidr_blocks = ["0.0.0.0/0"]
-  }
-
   egress {
     from_port   = 0
     to_port     = 0
@@ -34,6 +26,7 @@ resource "aws_security_group" "web" {
 
 resource "aws_security_group" "db" {
   name        = "shop-db"
+  # Only the web tier reaches the database.
   description = "Orders database"
   vpc_id      = "vpc-0a1b2c3d4e5f60718"
 `;

const NEW_FILE = `@@ -0,0 +1,7 @@
+resource "aws_s3_bucket" "logs" {
+  bucket = "acme-logs"
+
+  tags = {
+    Team = "platform"
+  }
+}`;

const TRAILING_DELETION = `@@ -2,5 +2,3 @@ a
 b
 c
 d
-e
-f`;

const NO_NEWLINE = `@@ -1,2 +1,2 @@
 x = 1
-y = 2
\\ No newline at end of file
+y = 3
\\ No newline at end of file`;

describe('patchLineRanges', () => {
  it.each([
    ['edits, a removed block and an added line in two hunks', NETWORK, [{ start: 8, end: 8 }, { start: 15, end: 15 }, { start: 29, end: 29 }]],
    ['a new file', NEW_FILE, [{ start: 1, end: 7 }]],
    ['lines removed at the end of the file: the line before them', TRAILING_DELETION, [{ start: 4, end: 4 }]],
    ['a last line without a newline', NO_NEWLINE, [{ start: 2, end: 2 }]],
    ['an empty patch', '', []],
  ])('%s', (_name, patch, expected) => {
    expect(patchLineRanges(patch)).toEqual(expected);
  });

  it('reads CRLF patches the same', () => {
    expect(patchLineRanges(NETWORK.replace(/\n/g, '\r\n'))).toEqual(patchLineRanges(NETWORK));
  });
});

describe('changedLineRanges', () => {
  it('maps pulls/{n}/files items to ranges by head path', () => {
    const ranges = changedLineRanges([
      { filename: 'infra/shop/network.tf', status: 'modified', patch: NETWORK, changes: 10 },
      { filename: 'infra/shop/logs.tf', status: 'added', patch: NEW_FILE, changes: 7 },
      { filename: 'infra/shop/old.tf', status: 'removed', patch: '@@ -1,3 +0,0 @@\n-a\n-b\n-c', changes: 3 },
      { filename: 'infra/shop/big.tf', status: 'modified', changes: 4_000 },
      { filename: 'infra/shop/moved.tf', status: 'renamed', changes: 0 },
    ]);
    expect([...ranges.keys()]).toEqual(['infra/shop/network.tf', 'infra/shop/logs.tf', 'infra/shop/big.tf', 'infra/shop/moved.tf']);
    expect(ranges.get('infra/shop/logs.tf')).toEqual([{ start: 1, end: 7 }]);
    // GitHub leaves out the patch of a very large diff: the whole file counts as changed.
    expect(ranges.get('infra/shop/big.tf')).toEqual([WHOLE_FILE]);
    expect(ranges.get('infra/shop/moved.tf')).toEqual([]);
  });
});
