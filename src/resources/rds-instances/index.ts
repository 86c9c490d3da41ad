// RDS DB instances: aws_db_instance. The password is never read or compared.
import type { Change, Drift } from '../../drift/types.js';
import { compareResourceTags } from '../../drift/tags.js';
import { bool, isRecord, num, str } from '../../drift/values.js';
import { monthlyDelta, rdsInstanceMonthlyPrice, rdsStorageMonthlyPrice } from '../../cost/price.js';
import type { PriceTable } from '../../cost/types.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedObject, keyOf, modifiedDrift, resourceRegion, type FieldSpec } from '../drifts.js';
import type { DeclareContext, DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { sameEngineVersion } from './engine-version.js';

const TYPE = 'aws_db_instance';
const STORAGE_PATHS = new Set(['allocated_storage', 'max_allocated_storage', 'storage_type', 'iops', 'storage_throughput']);
const COST_PATHS = new Set(['instance_class', 'multi_az', 'allocated_storage', 'storage_type', 'iops']);

export const rdsInstances: ResourceFamily = {
  name: 'rds-instances',
  liveType: TYPE,
  terraformTypes: [TYPE],
  declare,
  // DB identifiers are unique per account and region, not globally.
  liveKey: (live) => keyOf(TYPE, `${live.region}/${live.id}`),
  compare,
  deleted: deletedObject,
  isAwsDefault: () => false,
  signals,
  cost,
  remediation,
  generate,
};

function declare(resources: DeclaredResource[], ctx: DeclareContext): DeclaredObject[] {
  const objects: DeclaredObject[] = [];
  for (const resource of resources) {
    const identifier = str(resource.attributes.identifier);
    if (identifier === null) continue;
    const region = resourceRegion(resource, ctx);
    objects.push({ key: keyOf(TYPE, `${region}/${identifier}`), type: TYPE, id: identifier, region, primary: resource, parts: [] });
  }
  return objects;
}

function compare(object: DeclaredObject, live: LiveResource): Drift[] {
  const resource = object.primary;
  if (!resource) return [];
  const d = resource.attributes;
  const a = live.attributes;
  const skip = new Set(Object.keys(live.unknownAttributes ?? {}));
  const declaredSet = (name: string) => str(d[name]) !== null;
  const liveSet = (name: string) => a[name] !== null && a[name] !== undefined;
  const maxStorage = num(d.max_allocated_storage) ?? 0;
  // With storage autoscaling on, RDS grows allocated_storage by itself.
  const storageGrew = maxStorage > 0 && (num(a.allocated_storage) ?? 0) >= (num(d.allocated_storage) ?? 0);
  const fields: FieldSpec[] = [
      { path: 'instance_class', declared: d.instance_class, live: a.instance_class },
      { path: 'allocated_storage', declared: d.allocated_storage, live: a.allocated_storage, when: !storageGrew },
      { path: 'max_allocated_storage', declared: d.max_allocated_storage, live: a.max_allocated_storage },
      { path: 'storage_type', declared: d.storage_type, live: a.storage_type, when: declaredSet('storage_type') },
      { path: 'iops', declared: d.iops, live: a.iops },
      { path: 'storage_throughput', declared: d.storage_throughput, live: a.storage_throughput },
      { path: 'storage_encrypted', declared: d.storage_encrypted, live: a.storage_encrypted },
      { path: 'publicly_accessible', declared: d.publicly_accessible, live: a.publicly_accessible },
      { path: 'multi_az', declared: d.multi_az, live: a.multi_az },
      { path: 'backup_retention_period', declared: d.backup_retention_period, live: a.backup_retention_period, when: liveSet('backup_retention_period') },
      { path: 'backup_window', declared: d.backup_window, live: a.backup_window, compare: 'caseless', when: declaredSet('backup_window') },
      { path: 'maintenance_window', declared: d.maintenance_window, live: a.maintenance_window, compare: 'caseless', when: declaredSet('maintenance_window') },
      { path: 'deletion_protection', declared: d.deletion_protection, live: a.deletion_protection },
      { path: 'auto_minor_version_upgrade', declared: d.auto_minor_version_upgrade, live: a.auto_minor_version_upgrade, when: liveSet('auto_minor_version_upgrade') },
      { path: 'iam_database_authentication_enabled', declared: d.iam_database_authentication_enabled, live: a.iam_database_authentication_enabled },
      { path: 'copy_tags_to_snapshot', declared: d.copy_tags_to_snapshot, live: a.copy_tags_to_snapshot },
      { path: 'vpc_security_group_ids', declared: d.vpc_security_group_ids, live: a.vpc_security_group_ids, compare: 'set' },
      { path: 'parameter_group_name', declared: d.parameter_group_name, live: a.parameter_group_name, when: declaredSet('parameter_group_name') && liveSet('parameter_group_name') },
      { path: 'db_subnet_group_name', declared: d.db_subnet_group_name, live: a.db_subnet_group_name, when: declaredSet('db_subnet_group_name') && liveSet('db_subnet_group_name') },
      { path: 'ca_cert_identifier', declared: d.ca_cert_identifier, live: a.ca_cert_identifier, when: declaredSet('ca_cert_identifier') && liveSet('ca_cert_identifier') },
      { path: 'monitoring_interval', declared: d.monitoring_interval, live: a.monitoring_interval },
      { path: 'performance_insights_enabled', declared: d.performance_insights_enabled, live: a.performance_insights_enabled },
      { path: 'enabled_cloudwatch_logs_exports', declared: d.enabled_cloudwatch_logs_exports, live: a.enabled_cloudwatch_logs_exports, compare: 'set' },
      { path: 'port', declared: d.port, live: a.port, when: liveSet('port') },
  ];
  const changes: Change[] = compareFields(fields.filter((field) => !skip.has(field.path)));
  const declaredVersion = str(d.engine_version) ?? '';
  const liveVersion = str(a.engine_version) ?? '';
  if (!skip.has('engine_version') && !sameEngineVersion(String(d.engine ?? ''), declaredVersion, liveVersion, bool(d.auto_minor_version_upgrade) ?? true)) {
    changes.push({ path: 'engine_version', declared: declaredVersion, live: liveVersion });
  }
  if (!skip.has('tags')) changes.push(...compareResourceTags(d, a.tags));
  return modifiedDrift(resource, object, live, changes);
}

function signals(drift: Drift): Signal[] {
  if (drift.kind === 'deleted') return [{ id: 'rds.deleted', params: { identifier: drift.id } }];
  const live = drift.live?.attributes ?? {};
  if (drift.kind === 'unmanaged') {
    const params = { engine: String(live.engine ?? 'unknown engine'), instance_class: String(live.instance_class ?? 'unknown class') };
    return [{ id: live.publicly_accessible === true ? 'rds.unmanaged_public' : 'rds.unmanaged', params }];
  }
  const out: Signal[] = [];
  const storage: string[] = [];
  const turnedOff = (change: Change) => change.declared === true && change.live === false;
  const handled = (change: Change): boolean => {
    switch (change.path) {
      case 'publicly_accessible':
        if (change.live === true) out.push({ id: 'rds.publicly_accessible' });
        return change.live === true;
      case 'instance_class':
        out.push({ id: 'rds.instance_class_changed', params: { declared: String(change.declared), live: String(change.live) } });
        return true;
      case 'deletion_protection':
        if (turnedOff(change)) out.push({ id: 'rds.deletion_protection_disabled' });
        return turnedOff(change);
      case 'backup_retention_period': {
        const before = num(change.declared) ?? 0;
        const after = num(change.live) ?? 0;
        if (after === 0 && before > 0) out.push({ id: 'rds.backups_disabled' });
        else if (after < before) out.push({ id: 'rds.backup_retention_reduced', params: { declared: before, live: after } });
        else return false;
        return true;
      }
      case 'auto_minor_version_upgrade':
        if (turnedOff(change)) out.push({ id: 'rds.auto_minor_upgrade_disabled' });
        return turnedOff(change);
      case 'multi_az':
        if (turnedOff(change)) out.push({ id: 'rds.multi_az_disabled' });
        return turnedOff(change);
      case 'vpc_security_group_ids':
        out.push({ id: 'rds.security_groups_changed' });
        return true;
      case 'iam_database_authentication_enabled':
        if (turnedOff(change)) out.push({ id: 'rds.iam_auth_disabled' });
        return turnedOff(change);
      default:
        if (!STORAGE_PATHS.has(change.path)) return false;
        storage.push(`${change.path} ${String(change.declared ?? '(none)')} → ${String(change.live ?? '(none)')}`);
        return true;
    }
  };
  const generic = genericSignals(drift.changes, handled);
  if (storage.length > 0) out.push({ id: 'rds.storage_changed', params: { details: storage.join(', ') } });
  return [...out, ...generic];
}

interface DbShape {
  engine: string;
  instanceClass: string;
  multiAz: boolean;
  storageType: string;
  allocated: number;
  iops: number;
  running: boolean;
}

function monthly(prices: PriceTable, region: string, db: DbShape): number | null {
  const storage = rdsStorageMonthlyPrice(prices, region, db.storageType, db.allocated, db.iops, db.multiAz);
  if (!db.running) return storage;
  const instance = rdsInstanceMonthlyPrice(prices, region, db.engine, db.instanceClass, db.multiAz);
  return instance === null || storage === null ? null : Math.round((instance + storage) * 100) / 100;
}

function shape(attributes: Record<string, unknown>, changes: Change[] = [], side: 'declared' | 'live' = 'declared'): DbShape {
  const value = (name: string) => changes.find((c) => c.path === name)?.[side] ?? attributes[name];
  return {
    engine: String(attributes.engine ?? ''),
    instanceClass: String(value('instance_class') ?? ''),
    multiAz: value('multi_az') === true,
    storageType: String(value('storage_type') ?? 'gp2'),
    allocated: num(value('allocated_storage')) ?? 0,
    iops: num(value('iops')) ?? 0,
    running: attributes.status !== 'stopped',
  };
}

function cost(drift: Drift, prices: PriceTable): number | null | undefined {
  if (drift.kind === 'unmanaged') return monthly(prices, drift.region, shape(drift.live?.attributes ?? {}));
  if (drift.kind === 'deleted') return monthlyDelta(monthly(prices, drift.region, shape(drift.declared ?? {})), 0);
  if (!drift.changes.some((c) => COST_PATHS.has(c.path))) return undefined;
  const declared = drift.declared ?? {};
  return monthlyDelta(monthly(prices, drift.region, shape(declared, drift.changes, 'declared')), monthly(prices, drift.region, shape(declared, drift.changes, 'live')));
}

function remediation(drift: Drift): string | null {
  if (drift.kind !== 'unmanaged') return null;
  // A final snapshot, so removing an unmanaged database never loses its data.
  return `aws rds delete-db-instance --region ${shellQuote(drift.region)} --db-instance-identifier ${shellQuote(drift.id)} --final-db-snapshot-identifier ${shellQuote(`${drift.id}-final`)}`;
}

function generate(live: LiveResource): GeneratedResource {
  const a = live.attributes;
  const attributes: Record<string, unknown> = {
    identifier: live.id,
    engine: a.engine,
    engine_version: a.engine_version,
    instance_class: a.instance_class,
    allocated_storage: a.allocated_storage,
    storage_type: a.storage_type,
    storage_encrypted: a.storage_encrypted === true,
    publicly_accessible: a.publicly_accessible === true,
    multi_az: a.multi_az === true,
    backup_retention_period: a.backup_retention_period,
    deletion_protection: a.deletion_protection === true,
  };
  if (a.db_subnet_group_name) attributes.db_subnet_group_name = a.db_subnet_group_name;
  if (Array.isArray(a.vpc_security_group_ids) && a.vpc_security_group_ids.length > 0) attributes.vpc_security_group_ids = a.vpc_security_group_ids;
  if (a.parameter_group_name) attributes.parameter_group_name = a.parameter_group_name;
  if (isRecord(a.tags) && Object.keys(a.tags).length > 0) attributes.tags = a.tags;
  return { type: TYPE, name: terraformName(live.id, live.id), importId: live.id, attributes, blocks: {} };
}
