const { rmSync } = require("node:fs");

module.exports = async () => {
  const dir = process.env.MARKMAIL_JEST_RUN_CACHE;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
