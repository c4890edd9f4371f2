import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh folder for one test's files, inside the run's scratch folder that jest's global teardown removes. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(process.env.MARKMAIL_JEST_RUN_CACHE ?? tmpdir(), `${prefix}-`));
}
