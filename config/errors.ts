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
