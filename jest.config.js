/** Tests run through @swc/jest (no type-checking here: `npm run typecheck` does that once). */
module.exports = {
  clearMocks: true,
  // Jest's default is cores - 1, i.e. one worker on the 2-core machines here; two halve the wall time.
  maxWorkers: 2,
  testEnvironment: "node",
  moduleFileExtensions: ["ts", "js", "json", "node"],
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "\\.d\\.ts$"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
};
