// Sanity checks on the shipped price data: catches a typo (a zero, a missing digit, a swapped
// pair) that would otherwise show up as a wrong dollar figure in a pull request comment.
import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../../src/cost/price.js';

const prices = loadPriceTable();

const MAIN_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1',
  'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1',
];

const NAMED_SIZES: Record<string, number> = { nano: 1 / 16, micro: 1 / 8, small: 1 / 4, medium: 1 / 2, large: 1, xlarge: 2 };

/** Size relative to `large`: nano 1/16 … large 1, xlarge 2, 2xlarge 4, 9xlarge 18. */
function sizeUnits(size: string): number {
  const named = NAMED_SIZES[size];
  if (named !== undefined) return named;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple === null) throw new Error(`unknown size ${size}`);
  return 2 * Number(multiple[1]);
}

/** "m5.2xlarge" → ["m5", "2xlarge"]; "db.r6g.large" → ["db.r6g", "large"]. */
function splitType(type: string): [string, string] {
  const at = type.lastIndexOf('.');
  return [type.slice(0, at), type.slice(at + 1)];
}

function familyLadders(types: Record<string, number>): [string, [string, number][]][] {
  const families = new Map<string, [string, number][]>();
  for (const [type, price] of Object.entries(types)) {
    const [family, size] = splitType(type);
    families.set(family, [...(families.get(family) ?? []), [size, price]]);
  }
  return [...families].map(([family, sizes]) => [family, sizes.sort((a, b) => sizeUnits(a[0]) - sizeUnits(b[0]))]);
}

function allPrices(): [string, number][] {
  const out: [string, number][] = [];
  for (const [region, types] of Object.entries(prices.ec2)) {
    for (const [type, price] of Object.entries(types)) out.push([`ec2 ${region} ${type}`, price]);
  }
  for (const [region, engines] of Object.entries(prices.rds.instance)) {
    for (const [engine, classes] of Object.entries(engines)) {
      for (const [cls, price] of Object.entries(classes)) out.push([`rds ${region} ${engine} ${cls}`, price]);
    }
  }
  for (const section of ['storage', 'iops'] as const) {
    for (const [region, types] of Object.entries(prices.rds[section])) {
      for (const [type, price] of Object.entries(types)) out.push([`rds ${section} ${region} ${type}`, price]);
    }
  }
  return out;
}

const ladders: [string, string, [string, number][]][] = [
  ...Object.entries(prices.ec2).flatMap(([region, types]) =>
    familyLadders(types).map(([family, sizes]) => [`ec2 ${region}`, family, sizes] as [string, string, [string, number][]])),
  ...Object.entries(prices.rds.instance).flatMap(([region, engines]) =>
    Object.entries(engines).flatMap(([engine, classes]) =>
      familyLadders(classes).map(([family, sizes]) => [`rds ${region} ${engine}`, family, sizes] as [string, string, [string, number][]]))),
];

describe('shipped price table', () => {
  it('says when the prices were read', () => {
    expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Date.parse(prices.asOf)).toBeLessThanOrEqual(Date.now());
  });

  it('prices EC2 in every main region', () => {
    expect(Object.keys(prices.ec2).sort()).toEqual([...MAIN_REGIONS].sort());
  });

  it('only prices RDS in main regions, for the engines it supports', () => {
    for (const [region, engines] of Object.entries(prices.rds.instance)) {
      expect(MAIN_REGIONS).toContain(region);
      for (const engine of Object.keys(engines)) expect(['mysql', 'postgres', 'mariadb']).toContain(engine);
    }
    for (const section of [prices.rds.storage, prices.rds.iops]) {
      for (const [region, types] of Object.entries(section)) {
        expect(MAIN_REGIONS).toContain(region);
        for (const type of Object.keys(types)) expect(['gp2', 'gp3', 'io1', 'io2', 'standard']).toContain(type);
      }
    }
  });

  it('has only positive finite rates, none absurdly high', () => {
    // No list price here is anywhere near $50 per instance-hour or per GB-month.
    const wrong = allPrices().filter(([, price]) => !Number.isFinite(price) || price <= 0 || price >= 50);
    expect(allPrices().length).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });

  it.each(ladders)('%s %s costs more for each bigger size', (_where, _family, sizes) => {
    for (let i = 1; i < sizes.length; i += 1) {
      expect(sizes[i]![1], `${sizes[i]![0]} vs ${sizes[i - 1]![0]}`).toBeGreaterThan(sizes[i - 1]![1]);
    }
  });

  it('prices MariaDB like MySQL, as AWS does', () => {
    for (const engines of Object.values(prices.rds.instance)) {
      if (engines.mysql !== undefined && engines.mariadb !== undefined) expect(engines.mariadb).toEqual(engines.mysql);
    }
  });

  it.each(ladders)('%s %s prices each size in proportion to its size, within rounding', (_where, _family, sizes) => {
    // AWS prices sizes within a family linearly (xlarge = 2 × large, …), to a rounding of the
    // last digit; a typo breaks that.
    const [smallestSize, smallestPrice] = sizes[0]!;
    const perUnit = smallestPrice / sizeUnits(smallestSize);
    for (const [size, price] of sizes) {
      const expected = perUnit * sizeUnits(size);
      expect(Math.abs(price - expected) / expected, size).toBeLessThan(0.02);
    }
  });
});
