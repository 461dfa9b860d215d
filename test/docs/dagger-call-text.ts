// Finds the `dagger call` commands in a text (markdown prose and code, YAML run: blocks, shell) and
// splits them into words the way the shell would, for test/docs/dagger-calls.test.ts.

export interface DaggerCall {
  /** The -m value as written (e.g. `"$DPRA"`, `dagger`), undefined for the module in the current directory. */
  module: string | undefined;
  /** The words after `call`: constructor flags, then functions and fields with their flags. */
  words: string[];
  /** The command as found, for messages. */
  text: string;
}

// On one line (continuations are joined first); `call:` (a YAML key) is not the command.
const COMMAND = /\bdagger(?:[ \t]+-m[ \t]+(\S+))?[ \t]+call(?=[\s`]|$)(?:[ \t]+-m[ \t]+(\S+))?/g;

/**
 * Splits the start of `text` into shell words and stops where the command ends: at a pipe,
 * redirection, `;`, `&&` or comment, at the backtick that closes an inline code span, or at the
 * `)` that closes the `$(...)` the command is in. Quotes, `$(...)` and `<placeholders>` stay one word.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let depth = 0;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      word += c;
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word += c;
      continue;
    }
    if (depth === 0 && !angle) {
      if (c === "`" || c === ")") break;
      if (word === "" && "|>;&#".includes(c)) break;
      if (/\s/.test(c)) {
        if (word) words.push(word);
        word = "";
        continue;
      }
    }
    if (c === "$" && text[i + 1] === "(") {
      depth++;
      word += "$(";
      i++;
      continue;
    }
    if (c === ")" && depth > 0) depth--;
    if (c === "<" && depth === 0) angle = true;
    if (c === ">" && angle) angle = false;
    word += c;
  }
  if (word) words.push(word);
  return words;
}

/** Every `dagger [-m M] call ...` in a text, with backslash-continued lines joined. */
export function daggerCalls(text: string): DaggerCall[] {
  const joined = text.replace(/\\\n\s*/g, " ");
  return [...joined.matchAll(COMMAND)].flatMap((m) => {
    const rest = joined.slice(m.index! + m[0].length);
    const words = splitWords(rest.split("\n")[0]!);
    // A bare `dagger call` in prose names the command, not a call.
    if (words.length === 0) return [];
    return [{ module: m[1] ?? m[2], words, text: `${m[0]} ${words.join(" ")}` }];
  });
}

/** The `call:` inputs of dagger/dagger-for-github steps, with their `module:` input. */
export function dispatcherCalls(steps: Array<{ module?: string; call?: string }>): DaggerCall[] {
  return steps.flatMap((s) => (s.call ? [{ module: s.module, words: splitWords(s.call), text: `call: ${s.call}` }] : []));
}
