import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";

export interface DnsValidatedCertificateProps {
  /** The environment's public DNS name, e.g. dev.markmail.example.com. */
  readonly domain: string;
  /**
   * The public hosted zone of `domain` when this app creates it (the dns layer, HOSTED_ZONE_MODE=create);
   * unset: the zone named exactly `domain` already exists (delegated by hand) and is read at plan time.
   */
  readonly zoneId?: string;
}

/**
 * An ACM certificate for `<domain>` + `*.<domain>`, validated by DNS records written into
 * the domain's Route 53 zone (given, or looked up by name). `certificateArn` comes from the validation resource, so a
 * listener that uses it waits until the certificate is issued.
 */
export class DnsValidatedCertificate extends Construct {
  readonly zoneId: string;
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  /** The issued certificate (depends on validation). */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    this.zoneId = props.zoneId ?? new DataAwsRoute53Zone(this, "zone", { name: props.domain, privateZone: false }).zoneId;

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName: props.domain,
      subjectAlternativeNames: [`*.${props.domain}`],
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      // A listener always holds a certificate: the replacement is issued before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per domain_validation_options entry. The apex and the wildcard share the same
    // CNAME, hence allow_overwrite (the documented Terraform pattern). The for expression walks the
    // set itself: TerraformIterator.fromComplexList wraps it in tolist(), and a set whose records are
    // unknown until apply converts to a wholly unknown list, so `plan` fails ("Invalid for_each
    // argument") on a first deploy; the set keeps the domain names known at plan time.
    const options = TerraformIterator.fromMap(
      Token.asAnyMap(`\${{ for dvo in ${this.certificate.fqn}.domain_validation_options : dvo.domain_name => dvo }}`),
    );
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId: this.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: TerraformIterator.fromResources(records).pluckProperty("fqdn") as unknown as string[],
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
