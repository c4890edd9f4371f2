# METADATA
# title: MM-072 Backup vaults are encrypted with a customer-managed key
# description: |
#   aws_backup_vault.kms_key_arn refers to an aws_kms_key of the configuration or is a key ARN
#   (arn:...:key/...). Missing means AWS Backup's default key; an alias (alias/aws/backup or any
#   other) is not accepted because it cannot be told from an AWS-managed key here.
# custom:
#   id: MM-072
#   controls: [Backup.2 (context), CKV_AWS_166]
#   enforcement_level: mandatory
#   reason: Copies of the database leave the cluster's key behind; the vault's key decides who can read them and can be revoked.
package markmail.rules.backup_vault_encrypted

import data.markmail.lib
import rego.v1

_key_arn(v) if regex.match(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+`, v)

_cmk(r) if {
	some e in lib.refs_of(r, "kms_key_arn")
	startswith(e, "aws_kms_key.")
}

_cmk(r) if {
	v := r.values.kms_key_arn
	is_string(v)
	_key_arn(v)
}

deny contains lib.msg("MM-072", r, "backup vault without a customer-managed kms_key_arn (AWS Backup's default key)", "checkov CKV_AWS_166") if {
	some r in lib.of_type("aws_backup_vault")
	not lib.present(r, "kms_key_arn")
}

deny contains lib.msg("MM-072", r, sprintf("backup vault key %v is not a customer-managed key of this configuration", [object.get(r.values, "kms_key_arn", "(unknown)")]), "checkov CKV_AWS_166") if {
	some r in lib.of_type("aws_backup_vault")
	lib.present(r, "kms_key_arn")
	not _cmk(r)
}
