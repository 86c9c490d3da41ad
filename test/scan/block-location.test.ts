// Where each drifted resource is written: its block's first and last line, so a pull request
// check can tell whether the pull request edits a block that drifted.
import { describe, expect, it } from 'vitest';
import { shopReport } from '../surfaces/fixtures/shop-report.js';

describe('drift locations', () => {
  it('span the whole block that declares the resource', async () => {
    const { result } = await shopReport();
    const web = result?.drifts.find((drift) => drift.address === 'aws_security_group.web');
    // examples/shop/network.tf: `resource "aws_security_group" "web" {` on line 2, its `}` on 33.
    expect(web?.location).toEqual({ file: 'network.tf', line: 2, endLine: 33 });
    const unmanaged = result?.drifts.find((drift) => drift.kind === 'unmanaged');
    expect(unmanaged?.location).toBeNull();
  });
});
