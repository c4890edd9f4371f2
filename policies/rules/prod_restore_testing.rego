# METADATA
# title: MM-074 Production databases are backed up by AWS Backup and restore-tested
# description: |
#   Every prod aws_rds_cluster is in the resources of an aws_backup_selection and in the
#   protected_resource_arns of an aws_backup_restore_testing_selection (protected_resource_type
#   Aurora) whose restore_testing_plan_name refers to an aws_backup_restore_testing_plan of the
#   configuration with a schedule_expression.
# custom:
#   id: MM-074
#   controls: [CKV2_AWS_8, RDS.26 (context), AWS Backup restore testing]
#   enforcement_level: mandatory
#   reason: A backup is only proven by a restore; an untested backup is found broken on the day it is needed.
package markmail.rules.prod_restore_testing

import data.markmail.lib
import rego.v1

_selected(cluster) if {
	some s in lib.of_type("aws_backup_selection")
	lib.refers_to(s, "resources", cluster)
}

_restore_tested(cluster) if {
	some sel in lib.of_type("aws_backup_restore_testing_selection")
	sel.values.protected_resource_type == "Aurora"
	_covers(sel, cluster)
	some plan in lib.of_type("aws_backup_restore_testing_plan")
	lib.refers_to(sel, "restore_testing_plan_name", plan)
	lib.present(plan, "schedule_expression")
}

_covers(sel, cluster) if lib.refers_to(sel, "protected_resource_arns", cluster)

_covers(sel, _) if "*" in lib.as_list(sel.values.protected_resource_arns)

deny contains lib.msg("MM-074", c, "prod database in no aws_backup_selection: AWS Backup keeps no recovery point of it", "checkov CKV2_AWS_8") if {
	some c in lib.of_type("aws_rds_cluster")
	lib.is_prod(c)
	not _selected(c)
}

deny contains lib.msg("MM-074", c, "prod database without a scheduled restore test (aws_backup_restore_testing_selection + plan)", "AWS Backup restore testing") if {
	some c in lib.of_type("aws_rds_cluster")
	lib.is_prod(c)
	not _restore_tested(c)
}
