// DescribeDBInstances → aws_db_instance live objects. Aurora cluster members and the DocumentDB
// and Neptune instances the same API lists are other Terraform types (aws_rds_cluster_instance,
// aws_docdb_cluster_instance, aws_neptune_cluster_instance), so they are left out rather than
// reported as unmanaged databases.
import type { DBInstance } from '@aws-sdk/client-rds';
import { tagsFromList } from '../../drift/tags.js';
import { sortedStrings, str } from '../../drift/values.js';
import type { LiveResource } from '../live-types.js';
import type { RawDbInstances } from '../raw-types.js';

const OTHER_ENGINES = /^(aurora|docdb|neptune)/;

export function normalizeDbInstances(raw: RawDbInstances): LiveResource[] {
  const out: LiveResource[] = [];
  for (const db of raw.instances) {
    if (!db.DBInstanceIdentifier) continue;
    if (db.DBClusterIdentifier || OTHER_ENGINES.test(db.Engine ?? '')) continue;
    out.push({ type: 'aws_db_instance', id: db.DBInstanceIdentifier, region: raw.region, attributes: dbAttributes(db) });
  }
  return out;
}

function dbAttributes(db: DBInstance): Record<string, unknown> {
  return {
    identifier: db.DBInstanceIdentifier,
    resource_id: db.DbiResourceId ?? null,
    arn: db.DBInstanceArn ?? null,
    engine: db.Engine ?? null,
    engine_version: db.EngineVersion ?? null,
    instance_class: db.DBInstanceClass ?? null,
    allocated_storage: db.AllocatedStorage ?? null,
    max_allocated_storage: db.MaxAllocatedStorage ?? null,
    storage_type: db.StorageType ?? null,
    iops: db.Iops ?? null,
    storage_throughput: db.StorageThroughput ?? null,
    storage_encrypted: db.StorageEncrypted ?? false,
    kms_key_id: str(db.KmsKeyId),
    publicly_accessible: db.PubliclyAccessible ?? false,
    multi_az: db.MultiAZ ?? false,
    backup_retention_period: db.BackupRetentionPeriod ?? null,
    backup_window: db.PreferredBackupWindow ?? null,
    maintenance_window: db.PreferredMaintenanceWindow ?? null,
    deletion_protection: db.DeletionProtection ?? false,
    auto_minor_version_upgrade: db.AutoMinorVersionUpgrade ?? null,
    iam_database_authentication_enabled: db.IAMDatabaseAuthenticationEnabled ?? false,
    copy_tags_to_snapshot: db.CopyTagsToSnapshot ?? false,
    vpc_security_group_ids: sortedStrings((db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId)),
    parameter_group_name: db.DBParameterGroups?.[0]?.DBParameterGroupName ?? null,
    db_subnet_group_name: db.DBSubnetGroup?.DBSubnetGroupName ?? null,
    ca_cert_identifier: db.CACertificateIdentifier ?? null,
    monitoring_interval: db.MonitoringInterval ?? null,
    performance_insights_enabled: db.PerformanceInsightsEnabled ?? false,
    enabled_cloudwatch_logs_exports: sortedStrings(db.EnabledCloudwatchLogsExports),
    status: db.DBInstanceStatus ?? null,
    address: db.Endpoint?.Address ?? null,
    port: db.Endpoint?.Port ?? db.DbInstancePort ?? null,
    tags: tagsFromList(db.TagList),
  };
}
