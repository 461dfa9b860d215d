import { ReportError, formatJsonPath } from "./errors.js";
import { errorMessage } from "../errors.js";

export type JsonPath = readonly (string | number)[];
/** `descend`: walk into the container; `emit`: hand the whole value to `value`; `skip`: read past it. */
export type Selection = "descend" | "emit" | "skip";

export interface StreamHandlers {
  select(path: JsonPath, kind: "object" | "array" | "scalar"): Selection;
  value(path: JsonPath, value: unknown): void;
  /** Called when a descended container closes. */
  end?(path: JsonPath): void;
}

interface Frame {
  container: "object" | "array";
  path: (string | number)[];
  state: "start" | "key" | "colon" | "value" | "comma";
  key: string;
  index: number;
}

interface RawValue {
  depth: number;
  inString: boolean;
  escape: boolean;
  start: number;
  pieces: Buffer[];
  emit: boolean;
  path: (string | number)[];
}

interface Token {
  kind: "string" | "scalar";
  role: "key" | "value";
  escape: boolean;
  start: number;
  pieces: Buffer[];
  emit: boolean;
  path: (string | number)[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function describeByte(c: number | undefined): string {
  return c === undefined ? "end of input" : `"${String.fromCharCode(c)}"`;
}

/**
 * A push parser for large JSON documents. It tracks structure byte by byte and never holds the whole
 * text: containers the caller descends into are walked key by key; values it wants are cut out and
 * parsed with JSON.parse one at a time (fast, native); values it skips are only scanned. Memory stays
 * at the size of the largest emitted value plus what the caller keeps.
 */
export class JsonStreamParser {
  private readonly stack: Frame[] = [];
  private raw: RawValue | undefined;
  private token: Token | undefined;
  private consumed = 0;
  private done = false;

  constructor(
    private readonly handlers: StreamHandlers,
    private readonly file: string,
  ) {}

  write(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.raw) {
        i = this.scanRaw(chunk, i);
        continue;
      }
      if (this.token) {
        i = this.scanToken(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.done) this.fail(i, [], `unexpected ${describeByte(c)} after the end of the JSON document`);
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        i = this.startValue(chunk, i, []);
        continue;
      }
      switch (frame.state) {
        case "start":
          if (frame.container === "object") {
            if (c === RBRACE) i = this.close(i);
            else if (c === QUOTE) i = this.startKey(chunk, i, frame);
            else this.fail(i, frame.path, `expected a key or "}" but found ${describeByte(c)}`);
          } else if (c === RBRACKET) i = this.close(i);
          else i = this.startValue(chunk, i, [...frame.path, frame.index]);
          break;
        case "key":
          if (c === QUOTE) i = this.startKey(chunk, i, frame);
          else this.fail(i, frame.path, `expected a key in quotes but found ${describeByte(c)}`);
          break;
        case "colon":
          if (c !== COLON) this.fail(i, [...frame.path, frame.key], `expected ":" after the key but found ${describeByte(c)}`);
          frame.state = "value";
          i++;
          break;
        case "value":
          i = this.startValue(chunk, i, frame.container === "object" ? [...frame.path, frame.key] : [...frame.path, frame.index]);
          break;
        case "comma":
          if (c === COMMA) {
            if (frame.container === "object") frame.state = "key";
            else {
              frame.index++;
              frame.state = "value";
            }
            i++;
          } else if ((c === RBRACE && frame.container === "object") || (c === RBRACKET && frame.container === "array")) i = this.close(i);
          else this.fail(i, frame.path, `expected "," or "${frame.container === "object" ? "}" : "]"}" but found ${describeByte(c)}`);
          break;
      }
    }
    this.consumed += n;
  }

  end(): void {
    if (this.token?.kind === "scalar" && this.stack.length === 0) this.finishToken(Buffer.alloc(0), 0);
    if (!this.done || this.raw || this.token) {
      const path = this.raw?.path ?? this.token?.path ?? this.stack[this.stack.length - 1]?.path ?? [];
      this.fail(0, path, "unexpected end of the file: the report is truncated (did the tool finish writing it?)");
    }
  }

  private fail(i: number, path: JsonPath, problem: string): never {
    throw new ReportError(this.file, `${formatJsonPath("", path)} (byte ${this.consumed + i})`, `not valid JSON: ${problem}`);
  }

  private valueDone(): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.state = "comma";
    else this.done = true;
  }

  private close(i: number): number {
    const frame = this.stack.pop()!;
    this.handlers.end?.(frame.path);
    this.valueDone();
    return i + 1;
  }

  private startKey(chunk: Buffer, i: number, frame: Frame): number {
    this.token = { kind: "string", role: "key", escape: false, start: i, pieces: [], emit: true, path: frame.path };
    return this.scanToken(chunk, i + 1);
  }

  private startValue(chunk: Buffer, i: number, path: (string | number)[]): number {
    const c = chunk[i]!;
    if (c === LBRACE || c === LBRACKET) {
      const kind = c === LBRACE ? "object" : "array";
      const selection = this.handlers.select(path, kind);
      if (selection === "descend") {
        this.stack.push({ container: kind, path, state: "start", key: "", index: 0 });
        return i + 1;
      }
      this.raw = { depth: 1, inString: false, escape: false, start: i, pieces: [], emit: selection === "emit", path };
      return this.scanRaw(chunk, i + 1);
    }
    const emit = this.handlers.select(path, "scalar") !== "skip";
    if (c === QUOTE) {
      this.token = { kind: "string", role: "value", escape: false, start: i, pieces: [], emit, path };
      return this.scanToken(chunk, i + 1);
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      this.token = { kind: "scalar", role: "value", escape: false, start: i, pieces: [], emit, path };
      return this.scanToken(chunk, i + 1);
    }
    return this.fail(i, path, `expected a value but found ${describeByte(c)}`);
  }

  private scanToken(chunk: Buffer, from: number): number {
    const t = this.token!;
    const n = chunk.length;
    let i = from;
    if (t.kind === "string") {
      for (; i < n; i++) {
        const c = chunk[i]!;
        if (t.escape) t.escape = false;
        else if (c === BACKSLASH) t.escape = true;
        else if (c === QUOTE) return this.finishToken(chunk, i + 1);
      }
    } else {
      for (; i < n; i++) {
        const c = chunk[i]!;
        if (isSpace(c) || c === COMMA || c === RBRACE || c === RBRACKET) return this.finishToken(chunk, i);
      }
    }
    t.pieces.push(chunk.subarray(t.start, n));
    t.start = 0;
    return n;
  }

  private finishToken(chunk: Buffer, end: number): number {
    const t = this.token!;
    this.token = undefined;
    t.pieces.push(chunk.subarray(t.start, end));
    const text = (t.pieces.length === 1 ? t.pieces[0]! : Buffer.concat(t.pieces)).toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(end, t.path, `malformed ${t.role === "key" ? "key" : "value"} ${text.slice(0, 40)}`);
    }
    if (t.role === "key") {
      const frame = this.stack[this.stack.length - 1]!;
      frame.key = value as string;
      frame.state = "colon";
    } else {
      if (t.emit) this.handlers.value(t.path, value);
      this.valueDone();
    }
    return end;
  }

  private scanRaw(chunk: Buffer, from: number): number {
    const r = this.raw!;
    const n = chunk.length;
    let depth = r.depth;
    let inString = r.inString;
    let escape = r.escape;
    for (let i = from; i < n; i++) {
      if (inString) {
        // Strings are most of a report's bytes: jump to the next quote natively, then check
        // whether an odd run of backslashes escapes it.
        if (escape) {
          escape = false;
          continue;
        }
        const q = chunk.indexOf(QUOTE, i);
        const stop = q === -1 ? n : q;
        let backslashes = 0;
        for (let k = stop - 1; k >= i && chunk[k] === BACKSLASH; k--) backslashes++;
        if (q === -1) {
          escape = backslashes % 2 === 1;
          break;
        }
        i = q;
        if (backslashes % 2 === 0) inString = false;
        continue;
      }
      const c = chunk[i]!;
      if (c === QUOTE) inString = true;
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) {
          this.raw = undefined;
          if (r.emit) {
            r.pieces.push(chunk.subarray(r.start, i + 1));
            const text = (r.pieces.length === 1 ? r.pieces[0]! : Buffer.concat(r.pieces)).toString("utf8");
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch (err) {
              this.fail(i, r.path, errorMessage(err));
            }
            this.handlers.value(r.path, value);
          }
          this.valueDone();
          return i + 1;
        }
      }
    }
    r.depth = depth;
    r.inString = inString;
    r.escape = escape;
    if (r.emit) r.pieces.push(chunk.subarray(r.start, n));
    r.start = 0;
    return n;
  }
}

/** Feeds a byte stream through the parser. */
export async function streamJson(source: AsyncIterable<Buffer | string>, handlers: StreamHandlers, file: string): Promise<void> {
  const parser = new JsonStreamParser(handlers, file);
  for await (const chunk of source) parser.write(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  parser.end();
}
