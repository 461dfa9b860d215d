/**
 * Assertions on what a module asked a (fake) engine to do. See fake-engine.ts: a plan is a record of
 * requests, not the result of an engine run.
 */
import { callsOf, type Call, type FakeEngine } from "./fake-engine.js";

/** One chain of calls from a root field, as the module built it. */
export interface Chain {
  calls: Call[];
  /** The root field (`container`, `directory`, `host`, `cacheVolume`, `setSecret`, ...). */
  root: string;
  /** The leaf that was finally asked for (`stdout`, `sync`, `id`, ...). */
  leaf: string;
}

export interface ExecStep {
  args: string[];
  /** The `expect` enum (`SUCCESS`, `ANY`, `FAILURE`), when given. */
  expect?: string;
  chain: Chain;
}

export class Plan {
  private readonly all: Chain[];

  constructor(private readonly engine: FakeEngine) {
    const seen = new Map<string, Chain>();
    for (const leaf of engine.leaves()) {
      const chain: Chain = { calls: leaf.calls, root: leaf.root, leaf: leaf.field };
      seen.set(key(chain.calls) + "|" + leaf.field, chain);
    }
    this.all = [...seen.values()];
  }

  /** Every chain, including those only built to obtain an ID for an argument. */
  chains(): Chain[] {
    return this.all;
  }

  /**
   * Container chains that are not merely a prefix of a longer recorded chain: the containers the
   * module actually used.
   */
  containers(): Chain[] {
    const containers = this.all.filter((c) => c.root === "container" || c.calls.some((x) => x.field === "from"));
    const keys = containers.map((c) => key(c.calls));
    return containers.filter((c, i) => {
      const k = keys[i]!;
      return !keys.some((other, j) => j !== i && other.length > k.length && other.startsWith(k));
    });
  }

  /** Container chains whose execs include `needle` as one argument. */
  containersRunning(needle: string): Chain[] {
    return this.containers().filter((c) => execsOf(c).some((e) => e.args.includes(needle)));
  }

  /** Every call named `field` in every chain, with the chain it belongs to. */
  callsNamed(field: string): Array<{ call: Call; chain: Chain }> {
    const out: Array<{ call: Call; chain: Chain }> = [];
    const seen = new Set<Call>();
    for (const chain of this.all) {
      for (const call of chain.calls) {
        if (call.field === field && !seen.has(call)) {
          seen.add(call);
          out.push({ call, chain });
        }
      }
    }
    return out;
  }

  /** Every image reference given to `from`. */
  images(): string[] {
    return unique(this.callsNamed("from").map(({ call }) => String(call.args.address)));
  }

  execs(): ExecStep[] {
    return this.callsNamed("withExec").map(({ call, chain }) => toExec(call, chain));
  }

  envVariables(): Array<{ name: string; value: string }> {
    return this.callsNamed("withEnvVariable").map(({ call }) => ({
      name: String(call.args.name),
      value: String(call.args.value),
    }));
  }

  /** Secret env vars, with the name the secret was created under (`setSecret(name:)`) when known. */
  secretVariables(): Array<{ name: string; secret?: string }> {
    return this.callsNamed("withSecretVariable").map(({ call }) => ({
      name: String(call.args.name),
      secret: this.secretName(call.args.secret),
    }));
  }

  /** Cache volumes mounted, with their keys. */
  cacheMounts(): Array<{ path: string; key?: string }> {
    return this.callsNamed("withMountedCache").map(({ call }) => ({
      path: String(call.args.path),
      key: this.origin(call.args.cache)?.find((c) => c.field === "cacheVolume")?.args.key as string | undefined,
    }));
  }

  /** Registry credentials given to the engine, with the secret's name. */
  registryAuths(): Array<{ address: string; username: string; secret?: string }> {
    return this.callsNamed("withRegistryAuth").map(({ call }) => ({
      address: String(call.args.address),
      username: String(call.args.username),
      secret: this.secretName(call.args.secret),
    }));
  }

  /** Plaintexts handed to `setSecret`. */
  secretValues(): Array<{ name: string; plaintext: string }> {
    return this.callsNamed("setSecret").map(({ call }) => ({
      name: String(call.args.name),
      plaintext: String(call.args.plaintext),
    }));
  }

  /**
   * Places where a secret's plaintext (or an extra value the test names) appears anywhere but in
   * `setSecret`: exec args, plain env, file contents, or any other argument. Empty means no leak.
   */
  secretLeaks(extraValues: string[] = []): string[] {
    const values = unique([...this.secretValues().map((s) => s.plaintext), ...extraValues].filter((v) => v.length >= 4));
    const leaks: string[] = [];
    for (const chain of this.all) {
      for (const call of chain.calls) {
        if (call.field === "setSecret") continue;
        const text = JSON.stringify(call.args);
        for (const value of values) {
          if (text.includes(value)) leaks.push(`${call.field}(${Object.keys(call.args).join(", ")}) in a ${chain.root} chain`);
        }
      }
    }
    return unique(leaks);
  }

  /**
   * Whether `a` was built from `b`: b's calls are a prefix of a, or of any chain a takes by ID
   * as an argument (recursively). Two actions are independent when neither derives from the other.
   */
  derivesFrom(a: Chain, b: Chain): boolean {
    const target = key(b.calls);
    const visit = (calls: Call[], depth: number): boolean => {
      if (depth > 20) return false;
      if (key(calls).startsWith(target)) return true;
      return calls.some((call) => this.idArgs(call).some((ref) => visit(ref, depth + 1)));
    };
    return visit(a.calls, 0);
  }

  /** The chain an ID argument stands for. */
  origin(value: unknown): Call[] | undefined {
    if (typeof value !== "string") return undefined;
    const node = this.engine.resolveId(value);
    return node ? callsOf(node) : undefined;
  }

  private idArgs(call: Call): Call[][] {
    const refs: Call[][] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") {
        const calls = this.origin(v);
        if (calls) refs.push(calls);
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(call.args);
    return refs;
  }

  private secretName(id: unknown): string | undefined {
    const calls = this.origin(id);
    const setSecret = calls?.find((c) => c.field === "setSecret" || c.field === "secret");
    return setSecret ? String(setSecret.args.name ?? setSecret.args.uri) : undefined;
  }
}

/** The execs of one chain, in order. */
export function execsOf(chain: Chain): ExecStep[] {
  return chain.calls.filter((c) => c.field === "withExec").map((c) => toExec(c, chain));
}

/** Whether an image reference is pinned by digest. */
export function isPinned(image: string): boolean {
  return /@sha256:[a-f0-9]{64}$/.test(image);
}

function toExec(call: Call, chain: Chain): ExecStep {
  const args = call.args.args;
  return {
    args: Array.isArray(args) ? args.map(String) : [],
    expect: typeof call.args.expect === "string" ? call.args.expect : undefined,
    chain,
  };
}

function key(calls: Call[]): string {
  return calls.map((c) => `${c.field}(${JSON.stringify(c.args)})`).join(".") + ".";
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
