// ORAS on this host against the loopback registries of test/support/registry.ts, for the real
// referrer suites (publish's referrers and Gamma's verdict store): the components they need, the
// recipes' argv over plain HTTP, and an ORAS with a throwaway HOME that logs in with a Docker
// config.json and pushes a small image.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { registryConfigJson, type OrasRun } from "../../src/publish/referrers.dagger.js";
import { resolveTool, type Resolution } from "./real.js";
import { resolveReferrersRegistry, resolveRegistry, type RegistryServer } from "./registry.js";

/** The repository the suites push their image to. */
export const REPOSITORY = "team/fruit-api";

/** ORAS and both registries; the suite's version is ORAS's (the tool the recipe pins). */
export function resolveOrasRegistries(): Resolution {
  const oras = resolveTool("oras");
  if (!oras.ok) return oras;
  for (const found of [resolveReferrersRegistry(), resolveRegistry()]) if (!found.ok) return found;
  return { ok: true, tool: { ...oras.tool, name: "oras-registry" } };
}

/**
 * A recipe's argv, run on the host. The only transport difference: `--plain-http`, inserted after
 * the subcommand, because the test registries speak HTTP on loopback while ECR speaks HTTPS.
 */
export function overPlainHttp(argv: string[]): string[] {
  if (argv[0] !== "oras" || !argv[1]) throw new Error(`expected an oras argv, got ${argv.join(" ")}`);
  return [argv[1], "--plain-http", ...argv.slice(2)];
}

export interface OrasHost {
  /** Runs ORAS (argv without the program name) with a clean environment, in `cwd`. */
  run(argv: string[], cwd: string): OrasRun;
  /** A registry login file, as the recipe makes it (registryConfigJson). */
  registryConfig(registry: RegistryServer, password?: string): string;
  /** Pushes a small image (an OCI config and one gzipped tar layer) and resolves its digest. */
  pushImage(registry: RegistryServer, config: string): string;
}

/** ORAS at `bin`, with its HOME and every file it writes under `work`. */
export function orasHost(bin: string, work: string): OrasHost {
  const home = path.join(work, "home");
  mkdirSync(home, { recursive: true });
  const run = (argv: string[], cwd: string): OrasRun => {
    const out = spawnSync(bin, argv, { cwd, encoding: "utf8", timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: home } });
    if (out.error) throw out.error;
    return { exitCode: out.status ?? -1, stdout: out.stdout, stderr: out.stderr };
  };
  return {
    run,
    registryConfig(registry, password = registry.password) {
      const file = path.join(mkdtempSync(path.join(work, "config-")), "config.json");
      writeFileSync(file, registryConfigJson(registry.host, registry.username, password), { mode: 0o600 });
      return file;
    },
    pushImage(registry, config) {
      const dir = mkdtempSync(path.join(work, "image-"));
      writeFileSync(path.join(dir, "app.txt"), "fruit-api\n");
      const tar = spawnSync("tar", ["-czf", "layer.tar.gz", "app.txt"], { cwd: dir, encoding: "utf8" });
      if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
      writeFileSync(path.join(dir, "config.json"), JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [] } }));
      const ref = `${registry.host}/${REPOSITORY}:v1`;
      const push = run(
        [
          "push",
          "--plain-http",
          "--registry-config",
          config,
          "--config",
          "config.json:application/vnd.oci.image.config.v1+json",
          ref,
          "layer.tar.gz:application/vnd.oci.image.layer.v1.tar+gzip",
        ],
        dir,
      );
      if (push.exitCode !== 0) throw new Error(`oras push ${ref} exited ${push.exitCode}: ${push.stderr}\nregistry log:\n${registry.log()}`);
      const resolved = run(["resolve", "--plain-http", "--registry-config", config, ref], dir);
      const digest = resolved.stdout.trim();
      if (resolved.exitCode !== 0 || !/^sha256:[a-f0-9]{64}$/.test(digest))
        throw new Error(`oras resolve ${ref} exited ${resolved.exitCode}: ${resolved.stdout}${resolved.stderr}`);
      return digest;
    },
  };
}
