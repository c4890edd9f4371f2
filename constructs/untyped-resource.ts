import { TerraformProvider, TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * Escape hatch: a resource or provider of a Terraform provider this project has no cdktf bindings
 * for (the `tfe` provider of HCP Terraform). Attributes are written as given, in Terraform's
 * snake_case; use it only where no binding exists.
 */
export class UntypedResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly attributes: Record<string, unknown>,
    provider: { name: string; source: string },
  ) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: provider.name } });
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of cdktf's TerraformResource/TerraformProvider it overrides
  protected synthesizeAttributes(): { [name: string]: any } {
    return this.attributes;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of cdktf's TerraformResource it overrides
  protected synthesizeHclAttributes(): { [name: string]: any } {
    return Object.fromEntries(
      Object.entries(this.attributes).map(([k, value]) => [k, { value, isBlock: false, type: "simple", storageClassType: "string" }]),
    );
  }
}

/** The provider block of such a provider, with its source address and version constraint. */
export class UntypedProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    name: string,
    source: string,
    version: string,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, id, {
      terraformResourceType: name,
      terraformProviderSource: source,
      terraformGeneratorMetadata: { providerName: name, providerVersionConstraint: version },
    });
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of cdktf's TerraformResource/TerraformProvider it overrides
  protected synthesizeAttributes(): { [name: string]: any } {
    return this.attributes;
  }
}
