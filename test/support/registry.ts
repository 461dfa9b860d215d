// The one place dpra's tests start a real OCI registry. Two kinds, each on loopback, plain HTTP
// (clients need `--plain-http`), with basic auth for one user whose password is generated at run
// time and never sits in an argv:
// - startRegistry(): Debian's `docker-registry` package (distribution v2, /usr/bin/docker-registry;
//   DPRA_REGISTRY_BIN overrides it) on a free port, with a throwaway config: filesystem storage in a
//   fresh temp folder and htpasswd (bcrypt) auth; the password file is made by `htpasswd` (Debian's
//   apache2-utils), fed on stdin. Distribution 2.8.2 has no OCI referrers API (404).
// - startReferrersRegistry(): test/oci-registry, go-containerregistry's in-memory registry with the
//   OCI 1.1 referrers API, built with `go build` into node_modules/.cache (keyed by its sources) and
//   given the user and password on stdin.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./fixtures.js";
import { freePort } from "./ports.js";
import type { Resolution } from "./real.js";

export interface RegistryServer {
  /** `127.0.0.1:<port>`, as a reference's registry host. */
  host: string;
  port: number;
  username: string;
  password: string;
  /** The server's version: distribution's for Debian's (e.g. 2.8.2), go-containerregistry's for the referrers one (e.g. v0.22.1). */
  version: string;
  /** A GET on the registry API with basic auth, e.g. `/v2/app/manifests/sha256:...`. */
  get(apiPath: string, accept?: string[]): Promise<RegistryAnswer>;
  /** What the registry printed so far (its log), for failure messages. */
  log(): string;
  /** Stops the registry (SIGTERM, then SIGKILL after 5 s) and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export interface RegistryAnswer {
  status: number;
  contentType: string;
  /** The body as UTF-8 text. */
  body: string;
}

const USERNAME = "dpra";

export function registryBin(): string {
  return process.env.DPRA_REGISTRY_BIN?.trim() || "/usr/bin/docker-registry";
}

/** Says whether Debian's registry and htpasswd are here, with the distribution version. */
export function resolveRegistry(): Resolution {
  const bin = registryBin();
  if (!existsSync(bin)) return { ok: false, reason: `${bin} is missing (install Debian's docker-registry package, or set DPRA_REGISTRY_BIN)` };
  const out = spawnSync(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const version = /distribution v?(\d+\.\d+\.\d+)/.exec(`${out.stdout ?? ""}${out.stderr ?? ""}`)?.[1];
  if (out.status !== 0 || !version) return { ok: false, reason: `${bin} --version did not print a distribution version: ${(out.stderr ?? out.stdout ?? "").trim()}` };
  const htpasswd = spawnSync("htpasswd", ["-niB", "probe"], { input: "probe", encoding: "utf8" });
  if (htpasswd.status !== 0) return { ok: false, reason: "htpasswd is missing (install Debian's apache2-utils package)" };
  return { ok: true, tool: { name: "docker-registry", bin, version } };
}

/** The registry's config, as the distribution configuration reference documents its keys. */
function configYaml(p: { addr: string; root: string; htpasswd: string; secret: string }): string {
  return [
    "version: 0.1",
    "log:",
    "  level: info",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${p.root}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${p.addr}`,
    `  secret: ${p.secret}`,
    "auth:",
    "  htpasswd:",
    "    realm: dpra-test-registry",
    `    path: ${p.htpasswd}`,
    "",
  ].join("\n");
}

/** `htpasswd -niB <user>`: one bcrypt line, the password read from stdin. */
function htpasswdLine(username: string, password: string): string {
  const out = spawnSync("htpasswd", ["-niB", username], { input: password, encoding: "utf8", timeout: 30_000 });
  const line = (out.stdout ?? "").trim();
  if (out.status !== 0 || !line.startsWith(`${username}:$2`)) {
    throw new Error(`htpasswd -niB did not print a bcrypt entry (exit ${out.status}): ${(out.stderr ?? "").trim()}`);
  }
  return `${line}\n`;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Stops a started server: SIGTERM, then SIGKILL after 5 s. */
async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const done = exited(child);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await done;
    clearTimeout(timer);
  }
}

/** Polls `/v2/` until it asks for credentials (401), as both registries do without them. */
async function awaitAuthChallenge(child: ChildProcess, host: string, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode} at start-up:\n${output().trim()}`);
    const status = await fetch(`http://${host}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return;
    if (status !== 0) throw new Error(`${what} answered ${status} on /v2/ without credentials, expected 401 (basic auth):\n${output().trim()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not answer on ${host} within 30 s:\n${output().trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function server(p: { host: string; port: number; password: string; version: string; output: () => string; stop: () => Promise<void> }): RegistryServer {
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${p.password}`).toString("base64")}`;
  return {
    host: p.host,
    port: p.port,
    username: USERNAME,
    password: p.password,
    version: p.version,
    get: async (apiPath, accept = []) => {
      if (!apiPath.startsWith("/v2/")) throw new Error(`registry API path "${apiPath}" must start with /v2/`);
      const res = await fetch(`http://${p.host}${apiPath}`, { headers: { authorization, ...(accept.length ? { accept: accept.join(", ") } : {}) } });
      return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() };
    },
    log: p.output,
    stop: p.stop,
  };
}

/** Starts a throwaway registry and waits until `/v2/` asks for credentials (401). */
export async function startRegistry(): Promise<RegistryServer> {
  const found = resolveRegistry();
  if (!found.ok) throw new Error(found.reason);
  const base = mkdtempSync(path.join(os.tmpdir(), "dpra-registry-"));
  const password = randomBytes(24).toString("base64url");
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configFile = path.join(base, "config.yml");
  const htpasswd = path.join(base, "htpasswd");
  let output = "";
  let child: ChildProcess | undefined;
  const stop = async () => {
    await stopChild(child);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    writeFileSync(htpasswd, htpasswdLine(USERNAME, password), { mode: 0o600 });
    writeFileSync(configFile, configYaml({ addr: host, root: path.join(base, "storage"), htpasswd, secret: randomBytes(16).toString("hex") }), { mode: 0o600 });
    // A clean environment: REGISTRY_* variables would override the config file.
    child = spawn(found.tool.bin, ["serve", configFile], { cwd: base, env: { PATH: process.env.PATH ?? "", HOME: base }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await awaitAuthChallenge(child, host, "docker-registry", () => output);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return server({ host, port, password, version: found.tool.version, output: () => output, stop });
}

const OCI_REGISTRY_SOURCE = path.join(repoRoot, "test", "oci-registry");
const OCI_REGISTRY_FILES = ["go.mod", "go.sum", "main.go"];

/**
 * Builds test/oci-registry once per change of its sources: `go build` into
 * node_modules/.cache/dpra/oci-registry-<hash of its sources>/, through a temp name and a rename,
 * so test workers building at the same time never run a half-written binary. Throws with Go's
 * output when the build fails.
 */
function buildReferrersRegistry(): string {
  const hash = createHash("sha256");
  for (const file of OCI_REGISTRY_FILES) hash.update(`${file}\0`).update(readFileSync(path.join(OCI_REGISTRY_SOURCE, file)));
  const dir = path.join(repoRoot, "node_modules", ".cache", "dpra", `oci-registry-${hash.digest("hex").slice(0, 16)}`);
  const bin = path.join(dir, "oci-registry");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const partial = `${bin}.${process.pid}.partial`;
  // GOWORK=off: the module builds on its own; -buildvcs=false: a clone owned by another user (CI) has no VCS stamp to read.
  const run = spawnSync("go", ["build", "-trimpath", "-buildvcs=false", "-o", partial, "."], {
    cwd: OCI_REGISTRY_SOURCE,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, GOWORK: "off" },
  });
  if (run.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(
      `test/oci-registry: go build failed (status ${run.status ?? run.signal}): ${run.error?.message ?? ""}${run.stderr ?? ""}. Install Go 1.25+ and check the Go proxy.`,
    );
  }
  renameSync(partial, bin);
  return bin;
}

/** Builds the referrers registry and reads its go-containerregistry version, or says why it cannot run here. */
export function resolveReferrersRegistry(): Resolution {
  let bin: string;
  try {
    bin = buildReferrersRegistry();
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const out = spawnSync(bin, ["version"], { encoding: "utf8", timeout: 30_000 });
  const version = /^go-containerregistry (v\d+\.\d+\.\d+\S*)$/m.exec(out.stdout ?? "")?.[1];
  if (out.status !== 0 || !version) return { ok: false, reason: `${bin} version did not print a go-containerregistry version: ${(out.stderr ?? "").trim()}` };
  return { ok: true, tool: { name: "oci-registry", bin, version } };
}

/**
 * Starts test/oci-registry (in memory, OCI referrers API, basic auth) on a free loopback port it
 * picks itself and prints, and waits until `/v2/` asks for credentials (401).
 */
export async function startReferrersRegistry(): Promise<RegistryServer> {
  const found = resolveReferrersRegistry();
  if (!found.ok) throw new Error(found.reason);
  const base = mkdtempSync(path.join(os.tmpdir(), "dpra-oci-registry-"));
  const password = randomBytes(24).toString("base64url");
  let output = "";
  let child: ChildProcess | undefined;
  const stop = async () => {
    await stopChild(child);
    rmSync(base, { recursive: true, force: true });
  };
  try {
    child = spawn(found.tool.bin, ["serve"], { cwd: base, env: { PATH: process.env.PATH ?? "", HOME: base }, stdio: ["pipe", "pipe", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const listening = new Promise<string>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`oci-registry printed no "listening on" line within 30 s:\n${output.trim()}`)), 30_000);
      child?.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`oci-registry exited ${code} at start-up:\n${output.trim()}`));
      });
      child?.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        output += d.toString();
        const address = /^listening on (127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
        if (address) {
          clearTimeout(timer);
          resolve(address);
        }
      });
    });
    child.stdin?.end(`${USERNAME}:${password}\n`);
    const host = await listening;
    await awaitAuthChallenge(child, host, "oci-registry", () => output);
    return server({ host, port: Number(host.slice(host.indexOf(":") + 1)), password, version: found.tool.version, output: () => output, stop });
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
