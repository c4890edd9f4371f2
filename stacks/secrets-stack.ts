import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { APP, SECRETS, type SecretName } from "../config/contract";
import { EphemeralRandomPassword } from "../constructs/ephemeral-random-password";
import { CustomerKey } from "../constructs/kms-key";
import { OperatorSecret, PLACEHOLDER, WriteOnlySecret } from "../constructs/secret";
import { SECRETS_LAYER } from "./contracts";
import { type LayerProps, LayerStack } from "./base";

/** `markmail-<env>-secrets`: the application secrets and their customer-managed key. */
export class SecretsStack extends LayerStack {
  constructor(scope: Construct, props: LayerProps) {
    super(scope, "secrets", props);
    const env = this.env;
    const key = new CustomerKey(this, "key", {
      alias: this.name("secrets"),
      description: `${this.name()}: application secrets`,
      deletionWindowDays: env.keyDeletionWindowDays,
    });
    const common = { kmsKeyArn: key.arn, recoveryWindowDays: env.secrets.recoveryWindowDays };
    const placeholders = (name: SecretName) => Object.fromEntries(SECRETS[name].keys.map((k) => [k, PLACEHOLDER]));
    const redirectUrl = env.domain
      ? `https://${env.domain}${APP.salesforceCallbackPath}`
      : `https://REPLACE_ME.example.com${APP.salesforceCallbackPath}`;

    const operator = (name: Exclude<SecretName, "db" | "jwt">, description: string, defaults: Record<string, string> = {}): string => {
      const id = this.name(SECRETS[name].suffix);
      const s = new OperatorSecret(this, name, { name: id, description, initial: { ...placeholders(name), ...defaults }, ...common });
      return s.secret.arn;
    };

    const salesforce = operator("salesforce", "Salesforce OAuth2 connected app (client_id, client_secret, redirect_url, use_sandbox)", {
      redirect_url: redirectUrl,
      use_sandbox: "false",
    });
    const ai = operator("ai", "AI provider API keys and models (OpenAI, Anthropic)", {
      AI_PROVIDER: "openai",
      OPENAI_MODEL: "gpt-4o",
      ANTHROPIC_MODEL: "claude-sonnet-4-5",
    });
    const stripe = operator("stripe", "Stripe API keys and webhook signing secret");
    const dockerhub = operator("dockerhub", "Docker Hub credentials for image builds (avoids anonymous pull limits)");

    // The JWT signing key: generated, written through a write-only attribute, never the DB password.
    const jwtPassword = new EphemeralRandomPassword(this, "jwt-value", { length: 64 });
    const jwtName = this.name(SECRETS.jwt.suffix);
    const jwt = new WriteOnlySecret(this, "jwt", {
      name: jwtName,
      description: "JWT signing key of the backend (generated; rotate by bumping secrets.jwtSecretVersion)",
      value: Fn.jsonencode({ secret: jwtPassword.value }),
      version: env.secrets.jwtSecretVersion,
      ...common,
    });

    this.publish(SECRETS_LAYER, {
      kms_key_arn: key.arn,
      jwt_secret_arn: jwt.secret.arn,
      salesforce_secret_arn: salesforce,
      ai_secret_arn: ai,
      stripe_secret_arn: stripe,
      dockerhub_secret_arn: dockerhub,
    });
  }
}
