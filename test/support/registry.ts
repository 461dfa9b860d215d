// The one place dpra's tests start a real OCI registry: Debian's `docker-registry` package
// (distribution v2, /usr/bin/docker-registry; DPRA_REGISTRY_BIN overrides it) on a free loopback
// port, with a throwaway config: filesystem storage in a fresh temp folder and htpasswd (bcrypt)
// basic auth for one user whose password is generated at run time. The password file is made by
// `htpasswd` (Debian's apache2-utils), fed on stdin, so the password never sits in an argv.
// Plain HTTP on 127.0.0.1 only: clients need `--plain-http`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.js";
import type { Resolution } from "./real.js";

export interface RegistryServer {
  /** `127.0.0.1:<port>`, as a reference's registry host. */
  host: string;
  port: number;
  username: string;
  password: string;
  /** The distribution version `docker-registry --version` prints (e.g. 2.8.2). */
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
    if (child && child.exitCode === null && child.signalCode === null) {
      const done = exited(child);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 5_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    writeFileSync(htpasswd, htpasswdLine(USERNAME, password), { mode: 0o600 });
    writeFileSync(configFile, configYaml({ addr: host, root: path.join(base, "storage"), htpasswd, secret: randomBytes(16).toString("hex") }), { mode: 0o600 });
    // A clean environment: REGISTRY_* variables would override the config file.
    child = spawn(found.tool.bin, ["serve", configFile], { cwd: base, env: { PATH: process.env.PATH ?? "", HOME: base }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode} at start-up:\n${output.trim()}`);
      const status = await fetch(`http://${host}/v2/`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 401) break;
      if (status !== 0) throw new Error(`docker-registry answered ${status} on /v2/ without credentials, expected 401 (htpasswd auth):\n${output.trim()}`);
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${host} within 30 s:\n${output.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  const authorization = `Basic ${Buffer.from(`${USERNAME}:${password}`).toString("base64")}`;
  return {
    host,
    port,
    username: USERNAME,
    password,
    version: found.tool.version,
    get: async (apiPath, accept = []) => {
      if (!apiPath.startsWith("/v2/")) throw new Error(`registry API path "${apiPath}" must start with /v2/`);
      const res = await fetch(`http://${host}${apiPath}`, { headers: { authorization, ...(accept.length ? { accept: accept.join(", ") } : {}) } });
      return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() };
    },
    log: () => output,
    stop,
  };
}
