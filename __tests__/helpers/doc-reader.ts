// Reading the operator documents: markdown fenced blocks, prose and inline code, and a small
// shell parser (quotes, $( ), pipes, &&, comments), enough for documentation. Used by docs-*.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "../..");
/** The seed guide (the old AWS CDK operator guide); in CI a copy of shared/ sits beside the clone. */
export const SEED_DIR = join(__dirname, "../../../shared/seed");

// ---------------------------------------------------------------------------------------------
// Reading the documents
// ---------------------------------------------------------------------------------------------

export interface Doc {
  readonly name: string;
  readonly text: string;
  /** Shell command lines: fenced bash/sh/console blocks (markdown) or command lines (help). */
  readonly lines: string[];
  /** Inline code spans that start with a command (markdown only; legacy-mapping tables excluded). */
  readonly inline: string[];
}

export const SHELL_LANGS = new Set(["bash", "sh", "shell", "console"]);
/** Inline code (or help lines) that are commands a reader may run. */
export const COMMAND_START = /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npm|npx|cdktf|aws|terraform|tofu|\.\/scripts\/|scripts\/|\.ci\/)/;
/** A table of the old AWS CDK commands; the left column is history, not something to run. */
export const LEGACY_START = "<!-- legacy-commands:start -->";
export const LEGACY_END = "<!-- legacy-commands:end -->";

/** Fenced code blocks of a markdown text: language and body. */
export function fencedBlocks(markdown: string): { lang: string; body: string }[] {
  const blocks: { lang: string; body: string }[] = [];
  let open: { lang: string; lines: string[]; fence: string } | undefined;
  for (const line of markdown.split("\n")) {
    const fence = /^\s*(`{3,})\s*([\w-]*)/.exec(line);
    if (open) {
      if (fence && fence[1] === open.fence && line.trim() === open.fence) {
        blocks.push({ lang: open.lang, body: open.lines.join("\n") });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: fence[2].toLowerCase(), lines: [], fence: fence[1] };
  }
  if (open) throw new Error(`unclosed code fence (${open.lang})`);
  return blocks;
}

/** Markdown without its fenced blocks and without the legacy-mapping tables. */
export function prose(markdown: string): string {
  let text = markdown.replace(/^\s*(`{3,})[^\n]*\n[\s\S]*?^\s*\1\s*$/gm, "");
  for (;;) {
    const s = text.indexOf(LEGACY_START);
    if (s < 0) break;
    const e = text.indexOf(LEGACY_END, s);
    if (e < 0) throw new Error("legacy-commands:start without legacy-commands:end");
    text = text.slice(0, s) + text.slice(e + LEGACY_END.length);
  }
  return text;
}

/** Logical shell lines of a block: continuations joined, heredoc bodies and console output dropped. */
export function shellLines(body: string, lang: string): string[] {
  let raw = body.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  if (lang === "console") raw = raw.filter((l) => /^\s*\$ /.test(l)).map((l) => l.replace(/^\s*\$ /, ""));
  const lines: string[] = [];
  let heredoc: string | undefined;
  let pending: string | undefined;
  for (const line of raw) {
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    // A quoted string may span lines (e.g. a JSON --secret-string): join until it closes.
    const joined = pending === undefined ? line : `${pending} ${line}`;
    if (openQuote(joined) !== undefined) {
      pending = joined;
      continue;
    }
    pending = undefined;
    const m = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(joined);
    if (m) heredoc = m[2];
    lines.push(joined);
  }
  if (pending !== undefined) throw new Error(`unclosed quote: ${pending}`);
  return lines;
}

/** The quote left open at the end of a line (comments ignored), if any. */
export function openQuote(line: string): string | undefined {
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = undefined;
    } else if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "#" && !inWord) return undefined;
    inWord = quote !== undefined || !/\s/.test(c);
  }
  return quote;
}

export function markdownDoc(name: string): Doc {
  const text = readFileSync(join(ROOT, name), "utf8");
  const lines = fencedBlocks(text)
    .filter((b) => SHELL_LANGS.has(b.lang))
    .flatMap((b) => shellLines(b.body, b.lang));
  const inline = [...prose(text).matchAll(/(?<!`)`([^`]+)`(?!`)/g)]
    .map((m) => m[1].replace(/\s*\n\s*/g, " ").trim())
    .filter((code) => COMMAND_START.test(code));
  return { name, text, lines, inline };
}

/** `help` is plain text: its command lines start with npm run, npx cdktf or scripts/ (after VAR=value). */
export function helpDoc(): Doc {
  const text = readFileSync(join(ROOT, "help"), "utf8");
  const lines = text
    .split("\n")
    .map((l) => l.trim().split(/\s{2,}/)[0])
    .filter((l) => /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:npm (?:ci|test|run)|npx cdktf|scripts\/|\.ci\/)/.test(l));
  return { name: "help", text, lines, inline: [] };
}

// ---------------------------------------------------------------------------------------------
// A small shell parser: enough for documentation (quotes, $( ), pipes, &&, comments)
// ---------------------------------------------------------------------------------------------

export const SUBST = "__SUBST__";

/** Replaces each $(...) and `...` by SUBST and appends its inner text to `subs` (recursively). */
export function extractSubstitutions(line: string, subs: string[]): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      out += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      out += c + (line[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "'" && quote === undefined) {
      quote = "'";
      out += c;
      continue;
    }
    if (c === '"') {
      quote = quote === '"' ? undefined : '"';
      out += c;
      continue;
    }
    const dollar = c === "$" && line[i + 1] === "(";
    if (dollar || c === "`") {
      let j = dollar ? i + 2 : i + 1;
      let depth = 1;
      let inner: string | undefined;
      for (; j < line.length; j++) {
        const d = line[j];
        if (inner !== undefined) {
          if (d === inner) inner = undefined;
          else if (d === "\\" && inner === '"') j++;
          continue;
        }
        if (d === "\\") {
          j++;
          continue;
        }
        if (!dollar) {
          if (d === "`") break;
          continue;
        }
        if (d === "'" || d === '"') inner = d;
        else if (d === "(") depth++;
        else if (d === ")" && --depth === 0) break;
      }
      subs.push(extractSubstitutions(line.slice(dollar ? i + 2 : i + 1, j), subs));
      out += SUBST;
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** Splits one line (without substitutions) into commands of unquoted words. */
export function tokenize(line: string): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | undefined;
  const endWord = () => {
    if (inWord) current.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (current.length > 0) commands.push(current);
    current = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && '"\\$`'.includes(line[i + 1] ?? "")) word += line[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      word += line[++i] ?? "";
      inWord = true;
    } else if (/\s/.test(c)) endWord();
    else if (c === "#" && !inWord) break;
    else if (c === "|" || c === ";" || c === "&" || c === "(" || c === ")") {
      endCommand();
      if ((c === "|" || c === "&") && line[i + 1] === c) i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unbalanced ${quote} in: ${line}`);
  endCommand();
  return commands;
}

/** Every command of a list of logical lines, $( ) substitutions included as commands of their own. */
export function commandsOf(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    const subs: string[] = [];
    const outer = extractSubstitutions(line, subs);
    for (const part of [outer, ...subs]) out.push(...tokenize(part));
  }
  return out;
}

/** A command without its leading VAR=value assignments (and `export`, `sudo`, `time`, `exec`). */
export function strip(words: string[]): string[] {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || ["sudo", "time", "exec"].includes(words[i]))) i++;
  return words.slice(i);
}

/** Options of an AWS CLI call (`--name value...` and `--name=value`) and its positional words. */
export function awsArgs(words: string[]): { options: Map<string, string[]>; positional: string[] } {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  let current: string | undefined;
  for (const w of words.slice(3)) {
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      current = eq > 0 ? w.slice(0, eq) : w;
      if (!options.has(current)) options.set(current, []);
      if (eq > 0) {
        options.get(current)!.push(w.slice(eq + 1));
        current = undefined;
      }
    } else if (current !== undefined) options.get(current)!.push(w);
    else positional.push(w);
  }
  return { options, positional };
}

/** A value that is computed at run time or a placeholder, so it names nothing by itself. */
export const dynamic = (v: string) => /[$<>]|__SUBST__|\.\.\.|^sg-x+$|^file:\/\//.test(v) || v === "";
