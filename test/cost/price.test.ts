import { describe, expect, it } from 'vitest';
import {
  ec2MonthlyPrice,
  loadPriceTable,
  monthlyDelta,
  parsePriceTable,
  rdsInstanceMonthlyPrice,
  rdsStorageMonthlyPrice,
  roundCents,
} from '../../src/cost/price.js';
import type { PriceTable } from '../../src/cost/types.js';

// A small table with round numbers, so each expected figure can be checked by hand.
const TABLE: PriceTable = {
  asOf: '2024-12-01',
  currency: 'USD',
  hoursPerMonth: 730,
  ec2: { 'us-east-1': { 't3.micro': 0.0104, 'm5.large': 0.096 }, 'eu-west-1': { 't3.micro': 0.0114 } },
  rds: {
    instance: { 'us-east-1': { mysql: { 'db.t3.micro': 0.017 }, postgres: { 'db.t3.micro': 0.018 } } },
    storage: { 'us-east-1': { gp2: 0.115, gp3: 0.115, io1: 0.125, io2: 0.125, standard: 0.1 }, 'eu-west-2': { gp3: 0.133 } },
    iops: { 'us-east-1': { gp3: 0.02, io1: 0.1, io2: 0.1 } },
  },
};

describe('ec2MonthlyPrice', () => {
  it.each<[string, string, number | null]>([
    ['us-east-1', 't3.micro', 7.59],
    ['us-east-1', 'm5.large', 70.08],
    ['eu-west-1', 't3.micro', 8.32],
    ['eu-west-1', 'm5.large', null],
    ['ap-east-1', 't3.micro', null],
    ['us-east-1', 'x9z.mega', null],
    ['us-east-1', '', null],
    ['__proto__', 'toString', null],
    ['us-east-1', 'constructor', null],
  ])('%s %s → %s', (region, type, expected) => {
    expect(ec2MonthlyPrice(TABLE, region, type)).toBe(expected);
  });
});

describe('rdsInstanceMonthlyPrice', () => {
  it.each<[string, string, string, boolean, number | null]>([
    ['us-east-1', 'mysql', 'db.t3.micro', false, 12.41],
    ['us-east-1', 'mysql', 'db.t3.micro', true, 24.82],
    ['us-east-1', 'postgres', 'db.t3.micro', false, 13.14],
    ['us-east-1', 'postgres', 'db.t3.micro', true, 26.28],
    ['us-east-1', 'mariadb', 'db.t3.micro', false, null],
    ['us-east-1', 'aurora-mysql', 'db.t3.micro', false, null],
    ['us-east-1', 'aurora-postgresql', 'db.t3.micro', false, null],
    ['us-east-1', 'oracle-ee', 'db.t3.micro', false, null],
    ['us-east-1', 'sqlserver-se', 'db.t3.micro', false, null],
    ['us-east-1', 'postgresql', 'db.t3.micro', false, null],
    ['us-east-1', 'mysql', 'db.r5.large', false, null],
    ['eu-west-1', 'mysql', 'db.t3.micro', false, null],
  ])('%s %s %s multi-AZ=%s → %s', (region, engine, instanceClass, multiAz, expected) => {
    expect(rdsInstanceMonthlyPrice(TABLE, region, engine, instanceClass, multiAz)).toBe(expected);
  });
});

describe('rdsStorageMonthlyPrice', () => {
  it.each<[string, string, number, number | null, boolean, number | null]>([
    ['gp2 100 GB', 'gp2', 100, null, false, 11.5],
    ['gp2 ignores an iops figure', 'gp2', 100, 300, false, 11.5],
    ['gp2 Multi-AZ', 'gp2', 100, null, true, 23],
    ['gp3 at its 3,000 baseline', 'gp3', 100, 3000, false, 11.5],
    ['gp3 without iops', 'gp3', 100, null, false, 11.5],
    ['gp3 1,000 IOPS over the baseline', 'gp3', 100, 4000, false, 31.5],
    ['gp3 over the baseline, Multi-AZ', 'gp3', 100, 4000, true, 63],
    ['gp3 from 400 GB includes 12,000 IOPS', 'gp3', 400, 12000, false, 46],
    ['gp3 from 400 GB bills above 12,000', 'gp3', 500, 15000, false, 117.5],
    ['gp3 just under 400 GB bills above 3,000', 'gp3', 399, 12000, false, 225.89],
    ['io1 bills every IOPS', 'io1', 100, 1000, false, 112.5],
    ['io2 bills every IOPS', 'io2', 200, 3000, false, 325],
    ['io1 Multi-AZ', 'io1', 100, 1000, true, 225],
    ['io1 without a known iops', 'io1', 100, null, false, null],
    ['magnetic', 'standard', 50, null, false, 5],
    ['Aurora storage is not priced here', 'aurora', 100, null, false, null],
    ['a negative size', 'gp2', -1, null, false, null],
    ['a non-finite size', 'gp2', Number.NaN, null, false, null],
    ['negative iops', 'gp3', 100, -5, false, null],
    ['zero GB', 'gp2', 0, null, false, 0],
  ])('%s', (_label, type, gb, iops, multiAz, expected) => {
    expect(rdsStorageMonthlyPrice(TABLE, 'us-east-1', type, gb, iops, multiAz)).toBe(expected);
  });

  it('is unknown in a region the table does not price', () => {
    expect(rdsStorageMonthlyPrice(TABLE, 'sa-east-1', 'gp2', 100, null, false)).toBeNull();
  });

  it('is unknown when extra IOPS have no price in the region', () => {
    expect(rdsStorageMonthlyPrice(TABLE, 'eu-west-2', 'gp3', 100, 3000, false)).toBe(13.3);
    expect(rdsStorageMonthlyPrice(TABLE, 'eu-west-2', 'gp3', 100, 6000, false)).toBeNull();
  });
});

describe('monthlyDelta', () => {
  it.each<[number | null, number | null, number | null]>([
    [70.08, 140.16, 70.08],
    [140.16, 70.08, -70.08],
    [10, 12.345, 2.35],
    [12.345, 10, -2.35],
    [0.1, 0.3, 0.2],
    [1, 1, 0],
    [7.59, 7.59, 0],
    [0, 1.005, 1.01],
    [null, 5, null],
    [5, null, null],
    [null, null, null],
  ])('%s → %s is %s', (before, after, expected) => {
    expect(monthlyDelta(before, after)).toBe(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(monthlyDelta(5, 4.999), 0)).toBe(true);
  });
});

describe('roundCents', () => {
  it.each([
    [1.005, 1.01],
    [-1.005, -1.01],
    [2.344999, 2.34],
    [0.1 + 0.2, 0.3],
    [7.591999999999999, 7.59],
  ])('%d → %d', (amount, expected) => {
    expect(roundCents(amount)).toBe(expected);
  });
});

describe('parsePriceTable', () => {
  const good = { ...TABLE, source: 'test' };

  it('accepts a well-formed table and drops fields it does not use', () => {
    expect(parsePriceTable(good)).toEqual(TABLE);
  });

  it.each<[string, unknown, RegExp]>([
    ['a zero price', { ...good, ec2: { 'us-east-1': { 't3.micro': 0 } } }, /ec2\.us-east-1\.t3\.micro must be a positive number/],
    ['a string price', { ...good, ec2: { 'us-east-1': { 't3.micro': '0.0104' } } }, /t3\.micro must be a positive number/],
    ['a null price', { ...good, rds: { ...TABLE.rds, storage: { 'us-east-1': { gp2: null } } } }, /rds\.storage\.us-east-1\.gp2/],
    ['another currency', { ...good, currency: 'EUR' }, /currency/],
    ['a date that is not ISO', { ...good, asOf: 'Dec 2024' }, /asOf/],
    ['no hours per month', { ...good, hoursPerMonth: undefined }, /hoursPerMonth/],
    ['a region that is not an object', { ...good, ec2: { 'us-east-1': [0.1] } }, /ec2\.us-east-1 must be an object/],
    ['no rds section', { ...good, rds: undefined }, /rds must be an object/],
  ])('rejects %s', (_label, input, message) => {
    expect(() => parsePriceTable(input)).toThrow(message);
  });
});

describe('loadPriceTable', () => {
  it('returns the shipped table, priced per 730-hour month in USD', () => {
    const prices = loadPriceTable();
    expect(prices.currency).toBe('USD');
    expect(prices.hoursPerMonth).toBe(730);
    expect(ec2MonthlyPrice(prices, 'us-east-1', 't3.micro')).toBe(7.59);
    expect(ec2MonthlyPrice(prices, 'us-east-1', 'm5.large')).toBe(70.08);
    expect(rdsInstanceMonthlyPrice(prices, 'us-east-1', 'postgres', 'db.t3.micro', true)).toBe(26.28);
    expect(rdsStorageMonthlyPrice(prices, 'us-east-1', 'gp3', 20, 3000, false)).toBe(2.3);
  });
});
