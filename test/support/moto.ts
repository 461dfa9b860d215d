// The one place dpra's tests start moto (level 2 in docs/aws-tests.md): the host's `moto_server`,
// pinned to MOTO_VERSION, on a free loopback port, one server per test file. Tests reset its state
// between tests (`POST /moto-api/reset`) and build SDK clients from `motoClientConfig`: the real
// AWS SDK serialises every call and sends it over HTTP. moto is an emulator, not AWS: what it does
// not serve is listed in docs/aws-tests.md and stays on aws-sdk-client-mock.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { freePort } from "./ports.js";
import type { Resolution } from "./real.js";

/** The moto release these tests were written against; another one is refused, not guessed at. */
export const MOTO_VERSION = "5.2.1";

/** moto's default account: every ARN it makes carries it. */
export const MOTO_ACCOUNT = "123456789012";

export const MOTO_REGION = "eu-west-1";

/** Static credentials that moto accepts and no AWS account does. */
const TEST_CREDENTIALS = { accessKeyId: "moto-test-access-key", secretAccessKey: "moto-test-secret-key" } as const;

export interface MotoServer {
  endpoint: string;
  port: number;
  version: string;
  /** The server's last few kB of output (its request log and Python tracebacks), for failure messages. */
  output(): string;
  /** Drops every resource moto holds (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for any AWS SDK v3 client, pointed at moto. One attempt: moto's 500s are not transient. */
export interface MotoClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: 1;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = dir ? path.join(dir, name) : "";
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The Python interpreter in a console script's `#!` line, or undefined when it names none. */
function shebangPython(script: string): string | undefined {
  const first = readFileSync(script, "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
  return m?.[1];
}

/**
 * The interpreter that runs `moto_server`: its script's own `#!` line, or, for a pyenv shim (a
 * bash script), the script that `pyenv which` resolves it to.
 */
function motoPython(bin: string): { python?: string; reason?: string } {
  const direct = shebangPython(bin);
  if (direct) return { python: direct };
  const pyenv = spawnSync("pyenv", ["which", "moto_server"], { encoding: "utf8", timeout: 30_000 });
  const real = pyenv.status === 0 ? pyenv.stdout.trim() : "";
  const viaPyenv = real && existsSync(real) ? shebangPython(real) : undefined;
  if (viaPyenv) return { python: viaPyenv };
  return { reason: `${bin} is neither a Python console script nor a pyenv shim of one, so its moto version cannot be read` };
}

/**
 * Says whether moto_server MOTO_VERSION can run here (for `describeReal("moto", ..., resolveMoto)`).
 * moto_server has no --version; the version is the `moto` distribution's metadata in the
 * interpreter that runs it.
 */
export function resolveMoto(): Resolution {
  const bin = onPath("moto_server");
  if (!bin) return { ok: false, reason: `moto_server is not on PATH (install it: pip install 'moto[server]==${MOTO_VERSION}')` };
  const { python, reason } = motoPython(bin);
  if (!python) return { ok: false, reason: reason ?? "no interpreter found" };
  const out = spawnSync(python, ["-c", "import importlib.metadata as m; print(m.version('moto'))"], { encoding: "utf8", timeout: 30_000 });
  const version = out.status === 0 ? out.stdout.trim() : "";
  if (!/^\d+\.\d+\.\d+/.test(version)) return { ok: false, reason: `${python} cannot read the moto package's version: ${(out.stderr ?? "").trim() || "no output"}` };
  if (version !== MOTO_VERSION) {
    return {
      ok: false,
      reason: `moto_server (${bin}) is moto ${version}; these tests are written against moto ${MOTO_VERSION}, whose gaps docs/aws-tests.md lists (pip install 'moto[server]==${MOTO_VERSION}')`,
    };
  }
  return { ok: true, tool: { name: "moto", bin, version } };
}

async function post(url: string): Promise<Response> {
  return fetch(url, { method: "POST", signal: AbortSignal.timeout(10_000) });
}

/** Resets moto; throws naming the status when it does not answer 200. */
async function resetAt(endpoint: string): Promise<void> {
  const res = await post(`${endpoint}/moto-api/reset`);
  if (res.status !== 200) throw new Error(`POST ${endpoint}/moto-api/reset answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Starts moto_server on a free loopback port and waits until it answers; `stop()` ends it. */
export async function startMoto(opts: { readyTimeoutMs?: number } = {}): Promise<MotoServer> {
  const found = resolveMoto();
  if (!found.ok) throw new Error(found.reason);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // No AWS credentials or profile of the caller's reach the emulator.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  const child = spawn(found.tool.bin, ["-H", "127.0.0.1", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-16_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: string | undefined;
  // A test worker that ends without stop() (a failed hook, a crash) takes its server with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.on("exit", (code, signal) => {
    exited = `exit ${code ?? signal}`;
    process.removeListener("exit", killOnExit);
  });
  child.on("error", (err) => (exited = err.message));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`moto_server on port ${port} ended before it answered (${exited}):\n${output.trim()}`);
    try {
      await resetAt(endpoint);
      break;
    } catch (err) {
      if (Date.now() >= deadline) {
        await stopChild(child);
        throw new Error(
          `moto_server on ${endpoint} did not answer POST /moto-api/reset within ${opts.readyTimeoutMs ?? 30_000} ms (${(err as Error).message}):\n${output.trim()}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { endpoint, port, version: found.tool.version, output: () => output, reset: () => resetAt(endpoint), stop: () => stopChild(child) };
}

/** SDK client options for moto: its endpoint, a region, static test credentials, one attempt. */
export function motoClientConfig(server: Pick<MotoServer, "endpoint">, region: string = MOTO_REGION): MotoClientConfig {
  return { endpoint: server.endpoint, region, credentials: { ...TEST_CREDENTIALS }, maxAttempts: 1 };
}

/**
 * The standard SDK environment variables that point code building its own clients (or a `dpra`
 * child process) at moto: endpoint, region, static test credentials, one attempt.
 */
export function motoEnvironment(server: Pick<MotoServer, "endpoint">, region: string = MOTO_REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_MAX_ATTEMPTS: "1",
  };
}

/** Sets `motoEnvironment` in this process for each test and puts the previous values back after it. */
export function useMotoEnvironment(moto: () => MotoServer, region: string = MOTO_REGION): void {
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    for (const [key, value] of Object.entries(motoEnvironment(moto(), region))) {
      saved.set(key, process.env[key]);
      process.env[key] = value;
    }
  });
  afterEach(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
  });
}

/**
 * Inside a `describeReal("moto", ...)` body: one moto_server for the file's suite, reset before each
 * test. The returned getter gives the running server (only valid inside hooks and tests).
 */
export function useMoto(): () => MotoServer {
  let server: MotoServer | undefined;
  beforeAll(async () => {
    server = await startMoto();
  }, 60_000);
  afterAll(async () => server?.stop());
  beforeEach(async () => server?.reset());
  return () => {
    if (!server) throw new Error("moto_server is not running: useMoto() starts it in beforeAll of the enclosing suite");
    return server;
  };
}
