/**
 * Resource types that hold data or guard it: deleting or replacing one loses data (a database, a
 * bucket, a key that encrypts backups, a secret, an image repository, logs, the state store).
 * `__tests__/addresses.test.ts` pins their addresses so a refactor cannot move them by accident.
 */
export const STATEFUL_TYPES: readonly string[] = [
  "aws_rds_cluster",
  "aws_rds_cluster_instance",
  "aws_elasticache_replication_group",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_secretsmanager_secret",
  "aws_ecr_repository",
  "aws_cloudwatch_log_group",
  "aws_dynamodb_table",
  "aws_route53_zone",
  "aws_backup_vault",
];
