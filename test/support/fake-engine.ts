/**
 * A loopback fake Dagger engine for PLAN TESTS.
 *
 * The real `@dagger.io/dagger` SDK connects to it through `DAGGER_SESSION_PORT` and
 * `DAGGER_SESSION_TOKEN`, exactly as it connects to an engine session. Every GraphQL query the SDK
 * sends is parsed and recorded. Leaf fields (`stdout`, `exitCode`, `contents`, `id`, `sync`, ...)
 * are answered from a script the test gives, with neutral defaults otherwise. IDs that the fake
 * hands out are remembered, so a chain continued from a returned ID (`node(id:)`,
 * `loadXFromID(id:)`, or an ID passed as an argument) is still recorded as one chain.
 *
 * A plan test is NOT an engine run: nothing is pulled, built or executed. It proves what the module
 * ASKS the engine to do (images, commands, env, mounts, secrets, dependencies between containers),
 * not that those commands succeed.
 *
 * Usage:
 *   const engine = await FakeEngine.start({ answer: (leaf) => leaf.field === "stdout" ? "ok" : undefined });
 *   await engine.run(() => new Dpra(dag.directory()).secrets());
 *   const plan = engine.plan();
 *   await engine.close();
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Kind, parse, type FieldNode, type SelectionSetNode, type ValueNode } from "graphql";

/** One field call in a chain, with its arguments as plain JS values. */
export interface Call {
  field: string;
  args: Record<string, unknown>;
}

/** A node of the recorded graph: one call applied to its parent. */
export interface ChainNode {
  readonly call: Call;
  readonly parent?: ChainNode;
}

/** A leaf the SDK asked for, as given to the test's answer script. */
export interface Leaf {
  /** The leaf field, e.g. `stdout`, `exitCode`, `contents`, `id`, `sync`. */
  field: string;
  args: Record<string, unknown>;
  /** Every call from the root to the leaf's parent, IDs followed. */
  calls: Call[];
  /** The first call of the chain (`container`, `directory`, `host`, ...). */
  root: string;
}

/** Throw this from an answer script to make the engine report a failed exec, as a real one does. */
export class FakeExecError extends Error {
  constructor(readonly result: { exitCode: number; stdout?: string; stderr?: string; cmd?: string[] }) {
    super(`process "${(result.cmd ?? []).join(" ")}" did not complete successfully: exit code: ${result.exitCode}`);
  }
}

export type AnswerScript = (leaf: Leaf) => unknown;

export interface FakeEngineOptions {
  /** Answers leaf fields. Return `undefined` for the default answer. Throw `FakeExecError` for an exec failure. */
  answer?: AnswerScript;
}

/** One recorded request: the raw document and the chains it selected. */
export interface RecordedQuery {
  document: string;
  leaves: Leaf[];
}

const ID_PREFIX = "fake-id:";

export class FakeEngine {
  readonly token = "plan-test-token";
  readonly queries: RecordedQuery[] = [];
  private readonly ids = new Map<string, ChainNode>();
  private nextId = 1;

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeEngineOptions,
  ) {}

  static async start(options: FakeEngineOptions = {}): Promise<FakeEngine> {
    const server = http.createServer();
    const engine = new FakeEngine(server, options);
    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => engine.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return engine;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * Runs `fn` with the SDK's global client connected to this fake engine, as the module
   * runtime would, and restores the environment afterwards.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const saved = { port: process.env.DAGGER_SESSION_PORT, token: process.env.DAGGER_SESSION_TOKEN };
    process.env.DAGGER_SESSION_PORT = String(this.port);
    process.env.DAGGER_SESSION_TOKEN = this.token;
    const { connection } = await import("@dagger.io/dagger");
    let result: { value: T } | undefined;
    try {
      await connection(async () => {
        result = { value: await fn() };
      });
    } finally {
      restoreEnv("DAGGER_SESSION_PORT", saved.port);
      restoreEnv("DAGGER_SESSION_TOKEN", saved.token);
    }
    return result!.value;
  }

  /** Every leaf asked for, in order, with IDs followed. */
  leaves(): Leaf[] {
    return this.queries.flatMap((q) => q.leaves);
  }

  /** The node an ID handed out by this engine stands for, or undefined for a foreign string. */
  resolveId(value: string): ChainNode | undefined {
    return this.ids.get(value);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const expectedAuth = `Basic ${Buffer.from(`${this.token}:`).toString("base64")}`;
      if (req.headers.authorization !== expectedAuth) {
        res.statusCode = 401;
        res.end(JSON.stringify({ errors: [{ message: "fake engine: wrong or missing session token" }] }));
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query?: unknown };
        if (typeof body.query !== "string") throw new Error("fake engine: request body has no query string");
        const recorded: RecordedQuery = { document: body.query, leaves: [] };
        this.queries.push(recorded);
        const data = this.answerSelection(parse(body.query).definitions, recorded);
        res.end(JSON.stringify({ data }));
      } catch (err) {
        res.end(JSON.stringify({ errors: [toGraphQLError(err)] }));
      }
    });
  }

  private answerSelection(definitions: ReturnType<typeof parse>["definitions"], recorded: RecordedQuery): unknown {
    const op = definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!op || op.kind !== Kind.OPERATION_DEFINITION) throw new Error("fake engine: no operation in query");
    return this.answerSet(op.selectionSet, undefined, recorded);
  }

  private answerSet(set: SelectionSetNode, parent: ChainNode | undefined, recorded: RecordedQuery): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of flattenFields(set)) {
      out[field.alias?.value ?? field.name.value] = this.answerField(field, parent, recorded);
    }
    return out;
  }

  private answerField(field: FieldNode, parent: ChainNode | undefined, recorded: RecordedQuery): unknown {
    const name = field.name.value;
    const args = Object.fromEntries((field.arguments ?? []).map((a) => [a.name.value, toJs(a.value)]));
    if (field.selectionSet) {
      const node = this.follow(name, args, parent);
      return this.answerSet(field.selectionSet, node, recorded);
    }
    const calls = parent ? callsOf(parent) : [];
    const leaf: Leaf = { field: name, args, calls, root: calls[0]?.field ?? name };
    recorded.leaves.push(leaf);
    const scripted = this.options.answer?.(leaf);
    if (scripted !== undefined) return scripted;
    return this.defaultAnswer(leaf, parent);
  }

  /** Root fields that load an ID continue the chain of the node the ID stands for. */
  private follow(name: string, args: Record<string, unknown>, parent: ChainNode | undefined): ChainNode {
    const isLoad = parent === undefined && (name === "node" || /^load[A-Za-z]+FromID$/.test(name));
    if (isLoad && typeof args.id === "string") {
      const known = this.ids.get(args.id);
      if (!known) throw new Error(`fake engine: unknown ID ${args.id} passed to ${name}`);
      return known;
    }
    return { call: { field: name, args }, parent };
  }

  private defaultAnswer(leaf: Leaf, parent: ChainNode | undefined): unknown {
    switch (leaf.field) {
      case "id":
      case "sync":
        return this.issueId(parent ?? { call: { field: "query", args: {} } });
      case "exitCode":
        return 0;
      case "stdout":
      case "stderr":
      case "contents":
      case "name":
      case "plaintext":
        return "";
      case "entries":
      case "glob":
        return [];
      case "publish": {
        const address = String(leaf.args.address ?? "registry.invalid/unknown");
        return `${address.split(":")[0]}@sha256:${"0".repeat(64)}`;
      }
      case "digest":
        return `sha256:${"0".repeat(64)}`;
      case "export":
        return String(leaf.args.path ?? "");
      case "size":
        return 0;
      case "exists":
        return false;
      case "endpoint":
        return "tcp://fake-service:80";
      case "hostname":
        return "fake-service";
      case "version":
        return "v0.21.9";
      default:
        return null;
    }
  }

  private issueId(node: ChainNode): string {
    const id = `${ID_PREFIX}${this.nextId++}`;
    this.ids.set(id, node);
    return id;
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Fields at this level, descending into inline fragments (`node(id:) { ... on Container { ... } }`). */
function flattenFields(set: SelectionSetNode): FieldNode[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return flattenFields(s.selectionSet);
    throw new Error("fake engine: named fragments are not used by the SDK and are not supported");
  });
}

/** Every call from the root to `node`. */
export function callsOf(node: ChainNode): Call[] {
  const calls: Call[] = [];
  for (let cur: ChainNode | undefined = node; cur; cur = cur.parent) calls.unshift(cur.call);
  return calls;
}

function toJs(value: ValueNode): unknown {
  switch (value.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return value.value;
    case Kind.INT:
      return Number.parseInt(value.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(value.value);
    case Kind.BOOLEAN:
      return value.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return value.values.map(toJs);
    case Kind.OBJECT:
      return Object.fromEntries(value.fields.map((f) => [f.name.value, toJs(f.value)]));
    case Kind.VARIABLE:
      throw new Error(`fake engine: variables are not used by the SDK ($${value.name.value})`);
  }
}

function toGraphQLError(err: unknown): Record<string, unknown> {
  if (err instanceof FakeExecError) {
    return {
      message: err.message,
      extensions: {
        _type: "EXEC_ERROR",
        cmd: err.result.cmd ?? [],
        exitCode: err.result.exitCode,
        stdout: err.result.stdout ?? "",
        stderr: err.result.stderr ?? "",
      },
    };
  }
  return { message: err instanceof Error ? err.message : String(err) };
}
