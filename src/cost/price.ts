// Monthly on-demand prices from the shipped table (prices.json). Pure lookups: a price the table
// does not have is unknown (null), never 0, so the report can say "cost unknown" instead of
// claiming a change is free.
import raw from './prices.json' with { type: 'json' };
import type { PriceTable } from './types.js';

export type RdsStorageType = 'gp2' | 'gp3' | 'io1' | 'io2' | 'standard';

/** Engines priced from the table, as DescribeDBInstances reports them. */
const PRICED_ENGINES: ReadonlySet<string> = new Set(['mysql', 'postgres', 'mariadb']);

/**
 * RDS gp3 includes a baseline of IOPS in the storage price (MySQL, MariaDB, PostgreSQL):
 * 3,000 IOPS below 400 GiB, 12,000 IOPS from 400 GiB (where RDS stripes the volume).
 * Only IOPS provisioned above it are billed.
 */
const GP3_SMALL_BASELINE_IOPS = 3000;
const GP3_LARGE_BASELINE_IOPS = 12000;
const GP3_LARGE_FROM_GB = 400;

function fail(path: string, problem: string): never {
  throw new Error(`cost/prices.json: ${path} ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkPrice(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(path, 'must be a positive number (leave an unknown price out instead of writing 0)');
  }
  return value;
}

function checkPriceMap(value: unknown, path: string): Record<string, number> {
  if (!isRecord(value)) fail(path, 'must be an object');
  return Object.fromEntries(Object.entries(value).map(([key, price]) => [key, checkPrice(price, `${path}.${key}`)]));
}

function checkNested<T>(value: unknown, path: string, inner: (value: unknown, path: string) => T): Record<string, T> {
  if (!isRecord(value)) fail(path, 'must be an object');
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inner(item, `${path}.${key}`)]));
}

/** Checks a parsed price file and returns the table; throws on the first problem. */
export function parsePriceTable(value: unknown): PriceTable {
  if (!isRecord(value)) fail('(root)', 'must be an object');
  const { asOf, currency, hoursPerMonth, ec2, rds } = value;
  if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
    fail('asOf', 'must be an ISO date (YYYY-MM-DD)');
  }
  if (currency !== 'USD') fail('currency', 'must be "USD"');
  const hours = checkPrice(hoursPerMonth, 'hoursPerMonth');
  if (!isRecord(rds)) fail('rds', 'must be an object');
  return {
    asOf,
    currency,
    hoursPerMonth: hours,
    ec2: checkNested(ec2, 'ec2', checkPriceMap),
    rds: {
      instance: checkNested(rds.instance, 'rds.instance', (engines, path) => checkNested(engines, path, checkPriceMap)),
      storage: checkNested(rds.storage, 'rds.storage', checkPriceMap),
      iops: checkNested(rds.iops, 'rds.iops', checkPriceMap),
    },
  };
}

const SHIPPED: PriceTable = parsePriceTable(raw);

/** The shipped price table (checked once, when this module loads). */
export function loadPriceTable(): PriceTable {
  return SHIPPED;
}

/** Rounds half away from zero to cents, without binary-float surprises (1.005 → 1.01). */
export function roundCents(amount: number): number {
  const cents = Math.round(Number((Math.abs(amount) * 100).toPrecision(12)));
  const rounded = (Math.sign(amount) * cents) / 100;
  return rounded === 0 ? 0 : rounded;
}

/** An own entry only: "__proto__" or "toString" from cloud data must not reach the prototype. */
function own<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  if (map === undefined || !Object.hasOwn(map, key)) return undefined;
  return map[key];
}

function lookup(map: Record<string, number> | undefined, key: string): number | null {
  const price = own(map, key);
  return typeof price === 'number' ? price : null;
}

/** USD per month (hoursPerMonth hours), rounded to cents; null when the table has no price. */
export function ec2MonthlyPrice(prices: PriceTable, region: string, instanceType: string): number | null {
  const hourly = lookup(own(prices.ec2, region), instanceType);
  if (hourly === null) return null;
  return roundCents(hourly * prices.hoursPerMonth);
}

/**
 * USD per month for an RDS instance, rounded to cents. Engines other than mysql, postgres and
 * mariadb (aurora-*, oracle-*, sqlserver-*, db2-*, custom) are not in the table: null.
 * Multi-AZ (one standby) bills the instance twice.
 */
export function rdsInstanceMonthlyPrice(
  prices: PriceTable,
  region: string,
  engine: string,
  instanceClass: string,
  multiAz: boolean,
): number | null {
  if (!PRICED_ENGINES.has(engine)) return null;
  const hourly = lookup(own(own(prices.rds.instance, region), engine), instanceClass);
  if (hourly === null) return null;
  return roundCents(hourly * prices.hoursPerMonth * (multiAz ? 2 : 1));
}

/** IOPS billed on top of the storage price, or null when they cannot be known. */
function billedIops(storageType: string, allocatedGb: number, iops: number | null): number | null {
  if (storageType === 'io1' || storageType === 'io2') return iops;
  if (storageType === 'gp3') {
    if (iops === null) return 0;
    const baseline = allocatedGb >= GP3_LARGE_FROM_GB ? GP3_LARGE_BASELINE_IOPS : GP3_SMALL_BASELINE_IOPS;
    return Math.max(0, iops - baseline);
  }
  return 0;
}

/**
 * USD per month for RDS storage, rounded to cents: allocated GB at the storage rate, plus
 * provisioned IOPS (all of them for io1/io2; those above the included baseline for gp3).
 * gp3 throughput above its baseline is not priced. Multi-AZ doubles both.
 */
export function rdsStorageMonthlyPrice(
  prices: PriceTable,
  region: string,
  storageType: string,
  allocatedGb: number,
  iops: number | null,
  multiAz: boolean,
): number | null {
  if (!Number.isFinite(allocatedGb) || allocatedGb < 0) return null;
  if (iops !== null && (!Number.isFinite(iops) || iops < 0)) return null;
  const perGb = lookup(own(prices.rds.storage, region), storageType);
  if (perGb === null) return null;
  const extraIops = billedIops(storageType, allocatedGb, iops);
  if (extraIops === null) return null;
  let monthly = perGb * allocatedGb;
  if (extraIops > 0) {
    const perIops = lookup(own(prices.rds.iops, region), storageType);
    if (perIops === null) return null;
    monthly += perIops * extraIops;
  }
  return roundCents(monthly * (multiAz ? 2 : 1));
}

/** after − before, rounded to cents; null when either side is unknown. */
export function monthlyDelta(before: number | null, after: number | null): number | null {
  if (before === null || after === null) return null;
  return roundCents(after - before);
}
