# METADATA
# title: MM-020 Automated backups are kept at least 7 days (14 in prod)
# description: backup_retention_period (provider default 1 when missing) >= 7, and >= 14 in prod.
# custom:
#   id: MM-020
#   controls: [RDS.11, CKV_AWS_133]
#   enforcement_level: mandatory
#   reason: Point-in-time restore is the recovery path for a bad migration or a mass deletion.
package markmail.rules.rds_backup_retention

import data.markmail.lib
import rego.v1

_minimum(r) := 14 if lib.is_prod(r)

_minimum(r) := 7 if not lib.is_prod(r)

_days(r) := lib.num(r.values.backup_retention_period) if lib.num(r.values.backup_retention_period)

_days(r) := 1 if not lib.present(r, "backup_retention_period")

deny contains lib.msg("MM-020", r, sprintf("backup_retention_period %v is below %d days for %s", [_days(r), _minimum(r), lib.env_of(r)]), "Security Hub RDS.11 / checkov CKV_AWS_133") if {
	some t in {"aws_rds_cluster", "aws_db_instance"}
	some r in lib.of_type(t)
	_days(r) < _minimum(r)
}
