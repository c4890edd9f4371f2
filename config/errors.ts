/**
 * A configuration error: one line that names the input and the accepted form.
 * main.ts prints `error: <message>` and exits 1 before anything is synthesized.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Formats the standard one-line rejection: `NAME="value" is not valid: expected <form>`. */
export function invalid(input: string, value: unknown, expected: string): ConfigError {
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  return new ConfigError(`${input}=${shown} is not valid: expected ${expected}`);
}

/**
 * The one way an entry point (main.ts, bootstrap.ts, hcp-workspaces.ts) builds its app: every
 * failure before synth is printed as one `error:` line (no stack trace) and exits 1, so nothing
 * is written; then the built app is synthesized.
 */
export function synthOrExit(build: () => { synth(): void }): void {
  let app: { synth(): void };
  try {
    app = build();
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : (err as Error).message.split("\n").filter(Boolean).join("; ");
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  }
  app.synth();
}
