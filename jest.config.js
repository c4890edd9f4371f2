/** Tests run through @swc/jest (no type-checking here: `npm run typecheck` does that once). */
module.exports = {
  clearMocks: true,
  // Jest's default is cores - 1, i.e. one worker on the 2-core machines here; two halve the wall time.
  maxWorkers: 2,
  testEnvironment: "node",
  moduleFileExtensions: ["ts", "js", "json", "node"],
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  // A per-run scratch folder where the workers share synthesized app variants (helpers/synth.ts).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.js",
  // cdktf's archiver, loaded on first use only (see the file).
  moduleNameMapper: { "^archiver$": "<rootDir>/__tests__/helpers/lazy-archiver.js" },
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "\\.d\\.ts$"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
};
