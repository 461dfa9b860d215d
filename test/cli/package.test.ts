// Level 1 (real npm): the published CLI package. Builds it from src/ as prepack does, packs it with
// `npm pack`, checks the files list, installs the tarball into an empty folder (its declared
// dependencies come from the npm cache or registry) and runs the installed `dpra`.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BUNDLED_SEMGREP_RULES_DIR } from "../../src/scan/scan-settings.js";
import { fixturePath, repoRoot } from "../support/fixtures.js";

const cliDir = path.join(repoRoot, "packages", "cli");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function ok(run: SpawnSyncReturns<string>, what: string): string {
  expect({ what, status: run.status, stderr: run.status === 0 ? "" : run.stderr }).toEqual({ what, status: 0, stderr: "" });
  return run.stdout;
}

interface PackedPackage {
  name: string;
  private?: boolean;
  version: string;
  exports: Record<string, unknown>;
  types: string;
  repository: { url: string; directory: string };
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: boolean }>;
}

const pkg = JSON.parse(readFileSync(path.join(cliDir, "package.json"), "utf8")) as PackedPackage;

describe("@dpra/cli package", () => {
  it("is publishable, versioned with the repository, and licensed like it", () => {
    const root = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; license: string };
    expect(pkg.name).toBe("@dpra/cli");
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toBe(root.version);
    expect(pkg.types).toBe("./dist/src/cli/main.d.ts");
    expect(pkg.exports["."]).toEqual({ types: "./dist/src/cli/main.d.ts", default: "./dist/src/cli/main.js" });
    expect(pkg.repository.directory).toBe("packages/cli");
    // Only yaml and zod are installed; the AWS SDK is an optional peer (commands that call AWS only).
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["yaml", "zod"]);
    for (const name of Object.keys(pkg.peerDependencies)) expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true });
    const license = readFileSync(path.join(repoRoot, "LICENSE"), "utf8");
    expect(license).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    for (const dir of ["packages/cli", "modules/gitleaks", "modules/semgrep", "modules/trivy"]) {
      expect({ dir, same: readFileSync(path.join(repoRoot, dir, "LICENSE"), "utf8") === license }).toEqual({ dir, same: true });
    }
  });

  it("packs only the CLI, installs into an empty folder without the AWS SDK, and runs --version, gate and plan", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "dpra-pack-"));
    // A copy of packages/cli with dist/ compiled into it, so that the test never races `npm run build`.
    const stage = path.join(work, "cli");
    cpSync(cliDir, stage, { recursive: true, filter: (src) => !/[\\/](dist|node_modules)$/.test(src) && !src.endsWith(".tgz") });
    ok(
      spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", path.join(cliDir, "tsconfig.json"), "--outDir", path.join(stage, "dist")], {
        encoding: "utf8",
      }),
      "tsc",
    );
    // The rest of `npm run build`: the bundled semgrep rules (YAML only) next to the compiled CLI.
    ok(spawnSync(process.execPath, [path.join(repoRoot, "scripts", "copy-cli-rules.mjs"), path.join(stage, "dist")], { encoding: "utf8" }), "copy-cli-rules");
    const packed = JSON.parse(ok(spawnSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: stage, encoding: "utf8" }), "npm pack")) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path).sort();
    expect(files.filter((f) => !f.startsWith("dist/"))).toEqual(["LICENSE", "README.md", "bin/dpra.mjs", "package.json"]);
    // Besides compiled code, only the bundled semgrep rules: every rule file, none of their test cases.
    const ruleFiles = readdirSync(path.join(repoRoot, BUNDLED_SEMGREP_RULES_DIR))
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    expect(ruleFiles.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("dist/") && !/\.(js|d\.ts)$/.test(f))).toEqual(ruleFiles.map((f) => `dist/${BUNDLED_SEMGREP_RULES_DIR}/${f}`));
    expect(files).toContain("dist/src/cli/main.js");
    expect(files).toContain("dist/src/cli/main.d.ts");
    // Nothing of the Dagger module or its AWS code is shipped (the scan settings and argv builders the
    // build stage shares with `dpra scan` are scan/'s), and no shipped file names the Dagger SDK.
    // (dpra deploy and diff ship the Dagger-free AWS core; the AWS SDK stays an optional peer.)
    expect(files.filter((f) => /^dist\/src\/(release|stages|publish|functions|inputs|index)\b/.test(f) || /\.dagger\.(js|d\.ts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => readFileSync(path.join(stage, f), "utf8").includes("@dagger.io/dagger"))).toEqual([]);
    // Of modules/ only the argv builders and pins that `dpra scan` shares with the recipes.
    expect(
      files.filter((f) => f.startsWith("dist/modules/") && !/^dist\/modules\/[a-z-]+\/src\/(args|pin)\.(js|d\.ts)$/.test(f) && !f.startsWith(`dist/${BUNDLED_SEMGREP_RULES_DIR}/`)),
    ).toEqual([]);

    const app = path.join(work, "app");
    mkdirSync(app);
    writeFileSync(path.join(app, "package.json"), '{"name":"empty","version":"1.0.0","private":true}\n');
    ok(
      spawnSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", path.join(work, packed[0]!.filename)], { cwd: app, encoding: "utf8" }),
      "npm install",
    );
    const installed = readdirSync(path.join(app, "node_modules")).filter((d) => !d.startsWith("."));
    expect(installed.sort()).toEqual(["@dpra", "yaml", "zod"]);
    expect(existsSync(path.join(app, "node_modules", "@aws-sdk"))).toBe(false);
    // The installed `dpra scan` finds the bundled rules inside the package.
    const installedCli = path.join(app, "node_modules", "@dpra", "cli");
    const probe = `import(${JSON.stringify(pathToFileURL(path.join(installedCli, "dist", "src", "scan", "bundled-rules.js")).href)}).then((m) => console.log(m.bundledSemgrepRulesDir()))`;
    const found = ok(spawnSync(process.execPath, ["--input-type=module", "-e", probe], { cwd: app, encoding: "utf8" }), "bundledSemgrepRulesDir").trim();
    expect(found).toBe(path.join(installedCli, "dist", BUNDLED_SEMGREP_RULES_DIR));
    expect(readdirSync(found).sort()).toEqual(ruleFiles);

    const dpra = (...args: string[]) => spawnSync(path.join(app, "node_modules", ".bin", "dpra"), args, { cwd: app, encoding: "utf8" });
    expect(ok(dpra("--version"), "dpra --version")).toBe(`${pkg.version}\n`);
    const pass = dpra("gate", "--format", "json", fixturePath("junit", "vitest-4.1.12-junit-pass.xml"));
    expect(pass.status).toBe(0);
    expect(JSON.parse(pass.stdout)).toMatchObject({ schema: "dpra-gate/v1", passed: true });
    const fail = dpra("gate", fixturePath("trivy", "trivy-repo-secrets.json"));
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain("## ❌ dpra gate failed: 2 blocking findings");
    expect(ok(dpra("plan", "--env", "prod"), "dpra plan")).toContain("prod");
    expect(dpra("gate").status).toBe(2);
  }, 180_000);
});
