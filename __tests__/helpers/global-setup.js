// One scratch folder per `jest` run, shared by its workers: helpers/synth.ts' synthApp writes each
// app variant it synthesizes there once, so the files that read the same variant do not each build it.
// It starts empty on every run (no result outlives the run that computed it) and is removed at the end.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  process.env.MARKMAIL_JEST_RUN_CACHE = mkdtempSync(join(tmpdir(), "markmail-jest-"));
};
