// Wiring only: configuration → the markmail-bootstrap stack (S3 state bucket, lock table) → synth.
// A separate cdktf app so `npm run synth` keeps writing only the layer stacks:
//   npx cdktf deploy --app "node -r ./scripts/swc-register.js bootstrap.ts" --output cdktf.bootstrap.out markmail-bootstrap
import { App } from "cdktf";
import { loadConfig } from "./config";
import { synthOrExit } from "./config/errors";
import { BootstrapStack } from "./stacks/bootstrap-stack";

function main(): void {
  synthOrExit(() => {
    const config = loadConfig(process.env);
    BootstrapStack.plan(config); // every check that can fail, before the App creates the output directory
    const app = new App();
    new BootstrapStack(app, { config }).runAllValidations();
    return app;
  });
}

if (require.main === module) main();
