import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GITLEAKS_DEFAULT_VERSION, gitleaksImageRef } from "../../modules/gitleaks/src/gitleaks.js";
import { repoRoot } from "../support/fixtures.js";

const HOOK = path.join(repoRoot, "hooks", "gitleaks-staged.sh");

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
}

describe("pre-commit hooks run the pipeline's gitleaks", () => {
  const hooks = parse(readFileSync(path.join(repoRoot, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];

  it("pins the docker hook to the pipeline's image, by digest, with redaction on staged changes", () => {
    const docker = hooks.find((h) => h.id === "dpra-gitleaks-docker");
    expect(docker?.language).toBe("docker_image");
    const [image, ...args] = docker!.entry.split(" ");
    expect(image).toBe(gitleaksImageRef());
    expect(args.slice(0, 4)).toEqual(["git", "--pre-commit", "--staged", "--redact"]);
    expect(hooks.every((h) => h.pass_filenames === false)).toBe(true);
  });

  it("the script hook and husky share one script that names the same version and image", () => {
    expect(hooks.find((h) => h.id === "dpra-gitleaks")).toMatchObject({ entry: "hooks/gitleaks-staged.sh", language: "script" });
    const script = readFileSync(HOOK, "utf8");
    expect(script).toContain(`GITLEAKS_VERSION="${GITLEAKS_DEFAULT_VERSION}"`);
    expect(script).toContain(`GITLEAKS_IMAGE="${gitleaksImageRef()}"`);
  });
});

/** A scratch git repo whose PATH holds fake `gitleaks` and `docker` that record how they were called. */
function scratch(gitleaksVersion: string | undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), "dpra-hook-"));
  const bin = path.join(dir, "bin");
  const repo = path.join(dir, "repo");
  execFileSync("mkdir", ["-p", bin, repo]);
  execFileSync("git", ["init", "-q", repo]);
  const fake = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  if (gitleaksVersion) fake("gitleaks", `if [ "$1" = version ]; then echo ${gitleaksVersion}; exit 0; fi\necho "gitleaks $*" > ${dir}/called; exit 1`);
  fake("docker", `echo "docker $*" > ${dir}/called; exit 0`);
  const run = (env: Record<string, string> = {}) => {
    try {
      execFileSync("sh", [HOOK, "--config", "ci/gitleaks.toml"], {
        cwd: repo,
        env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      return 0;
    } catch (err) {
      return (err as { status: number }).status;
    }
  };
  return { run, called: () => readFileSync(path.join(dir, "called"), "utf8").trim(), repo };
}

describe("hooks/gitleaks-staged.sh", () => {
  it("runs a local gitleaks of the pinned version on the staged changes and returns its verdict", () => {
    const s = scratch("8.30.1");
    expect(s.run()).toBe(1);
    expect(s.called()).toBe("gitleaks git --pre-commit --staged --redact --no-banner --verbose --config ci/gitleaks.toml .");
  });

  it("falls back to the pinned image when the local gitleaks is another version", () => {
    const s = scratch("8.18.0");
    expect(s.run()).toBe(0);
    const call = s.called();
    expect(call).toContain(`${gitleaksImageRef()} git --pre-commit --staged --redact --no-banner --verbose --config ci/gitleaks.toml /repo`);
    expect(call).toContain(`-v ${s.repo}:/repo`);
  });

  it("uses the image when DPRA_GITLEAKS=docker, even with the right local version", () => {
    const s = scratch("v8.30.1");
    s.run({ DPRA_GITLEAKS: "docker" });
    expect(s.called()).toMatch(/^docker run/);
  });
});

describe(".gitleaks.toml", () => {
  const toml = readFileSync(path.join(repoRoot, ".gitleaks.toml"), "utf8");
  const paths = [...toml.matchAll(/'''(.+?)'''/g)].map((m) => new RegExp(m[1]!));

  it("extends gitleaks' default rules", () => {
    expect(toml).toMatch(/^\[extend\]\s*\n(#.*\n)*useDefault = true/m);
  });

  it("allowlists test code and fixtures, and nothing under src/ or modules/", () => {
    const allowed = (p: string) => paths.some((re) => re.test(p));
    expect(allowed("test/support/fake-engine.test.ts")).toBe(true);
    expect(allowed("test/fixtures/leaky.json")).toBe(true);
    expect(allowed("src/stages/build/scanners.dagger.ts")).toBe(false);
    expect(allowed("modules/gitleaks/src/gitleaks.ts")).toBe(false);
    expect(allowed("examples/fruit-api/src/app.ts")).toBe(false);
  });
});
