// Wiring only: configuration → the markmail-bootstrap stack (S3 state bucket, lock table) → synth.
// A separate cdktf app so `npm run synth` keeps writing only the layer stacks:
//   npx cdktf deploy --app "node -r ./scripts/swc-register.js bootstrap.ts" --output cdktf.bootstrap.out markmail-bootstrap
import { App } from "cdktf";
import { AppConfig, ConfigError, loadConfig } from "./config";
import { BootstrapStack } from "./stacks/bootstrap-stack";

function main(): void {
  let config: AppConfig;
  let app: App;
  try {
    config = loadConfig(process.env);
    BootstrapStack.plan(config); // every check that can fail, before the App creates the output directory
    app = new App();
    new BootstrapStack(app, { config }).runAllValidations();
  } catch (err) {
    // Every failure here is a configuration problem: one line, no stack trace, nothing written.
    const message = err instanceof ConfigError ? err.message : (err as Error).message.split("\n").filter(Boolean).join("; ");
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  }
  app.synth();
}

if (require.main === module) main();
