// Minimal require hook: compiles .ts files with swc in memory (no ts-node, no build step).
// Used by the cdktf app command, the benchmark and the graph script. Type-checking is `npm run typecheck`.
const { transformSync } = require("@swc/core");
const fs = require("node:fs");

require.extensions[".ts"] = function compile(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transformSync(source, {
    filename,
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  });
  module._compile(code, filename);
};
