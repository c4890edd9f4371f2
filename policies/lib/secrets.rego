# What looks like a credential (same package as resources.rego), from policies/data/secrets.
# The TypeScript side (constructs/policy-data.ts) implements the same two predicates on the same file.
package markmail.lib

import rego.v1

_sec := policy_data.secrets

_name_re := concat("", ["(?i)", concat("|", [sprintf("(?:%s)", [p.pattern]) | some p in _sec.names.patterns])])

_suffix_re(list) := concat("", ["(?i)(", concat("|", list), ")$"])

# A name such as DB_PASSWORD, STRIPE_SK or SMTP_PASS; not a pointer (JWT_SECRET_ARN) or a public key.
secret_name(name) if {
	is_string(name)
	regex.match(_name_re, name)
	not regex.match(_suffix_re(_sec.names.pointer_suffixes), name)
	not regex.match(_suffix_re(_sec.names.public_suffixes), name)
}

# Why a value looks like a credential: a pattern id or "high-entropy"; undefined when it does not.
secret_value(v) := id if {
	is_string(v)
	not v in _sec.values.placeholders
	ids := [p.id | some p in _sec.values.patterns; regex.match(p.pattern, v)]
	count(ids) > 0
	id := ids[0]
} else := "high-entropy" if {
	is_string(v)
	not v in _sec.values.placeholders
	not _entropy_exempt(v)
	literal := regex.replace(v, `\$\{[^}]*\}`, " ")
	some h in _sec.values.high_entropy
	some run in regex.find_n(sprintf("[%s]{%d,}", [h.chars, h.min_length]), literal, -1)
	regex.match(`[a-z]`, run)
	regex.match(`[A-Z]`, run)
	regex.match(`[0-9]`, run)
}

_entropy_exempt(v) if {
	some p in _sec.values.entropy_exempt_prefixes
	startswith(v, p)
}
