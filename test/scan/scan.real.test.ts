// Level 1 (real tools): `dpra scan` runs the pinned gitleaks, semgrep, trivy and cfn-lint on copies
// of the bundled example, and the project's parsers and policy read their real reports.
import { randomInt } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { TOOLS } from "../../src/tools/catalog.js";
import { runCli } from "../support/cli.js";
import { repoRoot } from "../support/fixtures.js";
import { describeReal, resolveTool, TOOLS_BIN, type Resolution } from "../support/real.js";

const EXAMPLE = path.join(repoRoot, "examples", "fruit-api");
const ALL = ["gitleaks", "semgrep", "trivy", "cfn-lint"] as const;

/** A copy of the example without node_modules (and without earlier reports). */
function exampleCopy(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "dpra-scan-")), "fruit-api");
  cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|dpra-reports|reports)([\\/]|$)/.test(path.relative(EXAMPLE, src) === "" ? "" : `/${path.relative(EXAMPLE, src)}`),
  });
  return dir;
}

/** Only this tool runs: every other one is skipped. */
function only(tool: (typeof ALL)[number]): string[] {
  return ALL.filter((t) => t !== tool).flatMap((t) => ["--skip", t]);
}

function scan(dir: string, ...args: string[]) {
  // The repository's .tools first (the run's folder is a temp one); a later --tools-dir wins.
  return runCli(["scan", dir, "--offline", "-o", path.join(dir, "..", "out"), "--tools-dir", path.dirname(TOOLS_BIN), ...args], path.dirname(dir));
}

function json(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** An AWS access key ID made at run time (AKIA + 16 base32 characters), so the repository holds none. */
function awsKeyId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return `AKIA${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join("")}`;
}

const allTools = (): Resolution => {
  for (const t of ALL) {
    const r = resolveTool(t);
    if (!r.ok) return r;
  }
  return resolveTool("semgrep");
};

describeReal("gitleaks", () => {
  it("finds nothing in the clean example", async () => {
    const dir = exampleCopy();
    const run = await scan(dir, ...only("gitleaks"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(json(path.join(dir, "..", "out", "raw", "gitleaks.json"))).toEqual([]);
  }, 60_000);

  it("finds exactly a planted AWS key, with file, line and rule, and its value is in no output", async () => {
    const dir = exampleCopy();
    const key = awsKeyId();
    writeFileSync(path.join(dir, "src", "aws-settings.ts"), `// settings\nexport const region = "us-east-1";\nexport const awsAccessKeyId = "${key}";\n`);
    const run = await scan(dir, ...only("gitleaks"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/blocking: \[\w+\] gitleaks aws-access-token src\/aws-settings\.ts:3:/);
    const report = json(path.join(dir, "..", "out", "raw", "gitleaks.json")) as Array<{ File: string; StartLine: number; RuleID: string }>;
    expect(report.map((f) => [f.File, f.StartLine, f.RuleID])).toEqual([["src/aws-settings.ts", 3, "aws-access-token"]]);
    const bytes = Buffer.from(key);
    const leaking = filesUnder(path.join(dir, "..", "out")).filter((f) => readFileSync(f).includes(bytes));
    expect(leaking).toEqual([]);
    expect(run.stdout.includes(key) || run.stderr.includes(key)).toBe(false);
  }, 60_000);
});

describeReal("semgrep", () => {
  it("the example's own rules find a planted SQL injection at its file and line", async () => {
    const dir = exampleCopy();
    writeFileSync(
      path.join(dir, "src", "lookup.ts"),
      "import type { Pool } from \"pg\";\n\nexport async function byName(db: Pool, name: string) {\n  return db.query(`SELECT * FROM fruit WHERE name = '${name}'`);\n}\n",
    );
    const run = await scan(dir, ...only("semgrep"));
    expect(run.code).toBe(1);
    // semgrep prefixes a local rule's id with its config file's folder (.semgrep/ -> "semgrep."),
    // the same in the Dagger recipe, which also runs from the source root with the relative path.
    expect(run.stderr).toContain("semgrep semgrep.fruit-api.sql-built-from-strings src/lookup.ts:4:");
  }, 120_000);

  it("with the example's own rules removed, the bundled rules find a planted injection from request input at its file and line", async () => {
    const dir = exampleCopy();
    rmSync(path.join(dir, ".semgrep"), { recursive: true });
    const config = parseDocument(readFileSync(path.join(dir, "dpra.yaml"), "utf8"));
    config.deleteIn(["security", "semgrep"]);
    writeFileSync(path.join(dir, "dpra.yaml"), config.toString());
    writeFileSync(
      path.join(dir, "src", "search.ts"),
      [
        'import type { FastifyInstance } from "fastify";',
        'import type { Pool } from "pg";',
        "",
        "export function searchRoute(server: FastifyInstance, db: Pool) {",
        '  server.get<{ Querystring: { name: string } }>("/api/search", async (request) => {',
        "    const { rows } = await db.query(`SELECT * FROM fruits WHERE name = '${request.query.name}'`);",
        "    return rows;",
        "  });",
        "}",
        "",
      ].join("\n"),
    );
    const run = await scan(dir, ...only("semgrep"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("semgrep dpra.js.sql-injection-from-request src/search.ts:6:");
    const report = json(path.join(dir, "..", "out", "raw", "semgrep.json")) as { results: Array<{ check_id: string; path: string; start: { line: number } }>; errors: unknown[] };
    expect(report.errors).toEqual([]);
    // Once, at the plant: the example's own queries (request values bound as $1, $2) are not reported.
    expect(report.results.filter((r) => r.check_id === "dpra.js.sql-injection-from-request").map((r) => [r.path, r.start.line])).toEqual([["src/search.ts", 6]]);
    expect(readFileSync(path.join(dir, "..", "out", "summary.md"), "utf8")).toContain("the bundled rules (modules/semgrep/rules/dpra-default) ran, offline");
  }, 120_000);
});

describeReal("trivy", () => {
  it("the SBOM lists the example's direct dependencies at the lockfile's versions", async () => {
    const dir = exampleCopy();
    const run = await scan(dir, ...only("trivy"));
    expect(run.code, run.stderr).toBe(0);
    const pkg = json(path.join(dir, "package.json")) as { dependencies: Record<string, string> };
    const lock = json(path.join(dir, "package-lock.json")) as { packages: Record<string, { version: string }> };
    const sbom = json(path.join(dir, "..", "out", "sbom.cdx.json")) as { bomFormat: string; components: Array<{ name: string; group?: string; version: string }> };
    expect(sbom.bomFormat).toBe("CycloneDX");
    const listed = new Map(sbom.components.map((c) => [c.group ? `${c.group}/${c.name}` : c.name, c.version]));
    for (const name of Object.keys(pkg.dependencies)) expect([name, listed.get(name)]).toEqual([name, lock.packages[`node_modules/${name}`]!.version]);
  }, 120_000);

  it("reports the template's misconfigurations (allowlisted in the example's dpra.yaml)", async () => {
    const dir = exampleCopy();
    await scan(dir, ...only("trivy"));
    const report = json(path.join(dir, "..", "out", "raw", "trivy-misconfig.json")) as {
      Results?: Array<{ Target: string; Misconfigurations?: Array<{ ID: string; Status: string }> }>;
    };
    const ids = (target: string) =>
      [
        ...new Set((report.Results ?? []).filter((r) => r.Target === target).flatMap((r) => (r.Misconfigurations ?? []).filter((m) => m.Status === "FAIL").map((m) => m.ID))),
      ].sort();
    expect(ids("infra/template.yaml")).toEqual(expect.arrayContaining(["AWS-0036", "AWS-0053", "AWS-0054", "AWS-0104", "AWS-0132"]));
    expect((report.Results ?? []).map((r) => r.Target)).toContain("Dockerfile");
    expect(ids("Dockerfile")).toEqual([]);
  }, 120_000);

  it("checks only Dockerfiles and CloudFormation by default; security.trivy.misconfigScanners adds kubernetes", async () => {
    const dir = exampleCopy();
    // A privileged pod: trivy's kubernetes checks fail it (KSV-0017, privileged containers).
    mkdirSync(path.join(dir, "k8s"));
    writeFileSync(
      path.join(dir, "k8s", "pod.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: api:1\n      securityContext:\n        privileged: true\n",
    );
    const targets = () => {
      const report = json(path.join(dir, "..", "out", "raw", "trivy-misconfig.json")) as { Results?: Array<{ Target: string; Class: string; Type: string }> };
      return (report.Results ?? [])
        .filter((r) => r.Class === "config")
        .map((r) => `${r.Target} (${r.Type})`)
        .sort();
    };
    await scan(dir, ...only("trivy"));
    expect(targets()).toEqual(["Dockerfile (dockerfile)", "infra/template.yaml (cloudformation)"]);

    const config = parseDocument(readFileSync(path.join(dir, "dpra.yaml"), "utf8"));
    config.setIn(["security", "trivy", "misconfigScanners"], ["dockerfile", "cloudformation", "kubernetes"]);
    writeFileSync(path.join(dir, "dpra.yaml"), config.toString());
    await scan(dir, ...only("trivy"));
    expect(targets()).toEqual(["Dockerfile (dockerfile)", "infra/template.yaml (cloudformation)", "k8s/pod.yaml (kubernetes)"]);
  }, 120_000);
});

describeReal("cfn-lint", () => {
  it("reports no errors on the example template, and its warnings become findings", async () => {
    const dir = exampleCopy();
    const run = await scan(dir, ...only("cfn-lint"));
    expect(run.code, run.stderr).toBe(0);
    const report = json(path.join(dir, "..", "out", "raw", "cfn-lint.json")) as Array<{ Level: string; Rule: { Id: string } }>;
    expect(report.filter((m) => m.Level === "Error")).toEqual([]);
    expect(report.length).toBeGreaterThan(0);
    const gate = json(path.join(dir, "..", "out", "dpra.json")) as { findings: Array<{ finding: { tool: string; rule: string } }> };
    const rules = gate.findings
      .filter((g) => g.finding.tool === "cfn-lint")
      .map((g) => g.finding.rule)
      .sort();
    expect(rules).toEqual(report.map((m) => m.Rule.Id).sort());
  }, 120_000);
});

describeReal(
  "dpra-scan",
  () => {
    it("passes on the example and writes every report", async () => {
      const dir = exampleCopy();
      const run = await scan(dir);
      expect(run.code, run.stderr).toBe(0);
      const out = path.join(dir, "..", "out");
      for (const f of [
        "dpra.sarif",
        "dpra.json",
        "summary.md",
        "sbom.cdx.json",
        "raw/gitleaks.json",
        "raw/semgrep.json",
        "raw/trivy-fs.json",
        "raw/trivy-misconfig.json",
        "raw/cfn-lint.json",
      ]) {
        expect(statSync(path.join(out, f)).size, f).toBeGreaterThan(0);
      }
      const summary = readFileSync(path.join(out, "summary.md"), "utf8");
      // Each tool's version next to its pin: semgrep's as its JSON report states it (no second Python
      // start for --version), the others' as they print it; they are the pins, so no warning.
      for (const t of ALL) expect(summary).toContain(`| ${t} | ${TOOLS[t].version} | ${TOOLS[t].version} |`);
      expect(summary).not.toContain("Warning:");
      expect(run.stderr).not.toContain("warning");
    }, 180_000);

    it("exits 2 with the tool, its pin and the install hint when semgrep is missing", async () => {
      const dir = exampleCopy();
      const tools = path.join(dir, "..", "tools");
      mkdirSync(path.join(tools, "bin"), { recursive: true });
      for (const t of ["gitleaks", "trivy", "cfn-lint"] as const) {
        const r = resolveTool(t);
        if (r.ok) symlinkSync(r.tool.bin, path.join(tools, "bin", t));
      }
      const run = await scan(dir, "--tools-dir", tools, "--no-path");
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/semgrep \d+\.\d+\.\d+ is not installed .*npm run tools:install/);
      expect(run.stderr).not.toMatch(/gitleaks|trivy \d|cfn-lint \d/);
    }, 60_000);

    it("--skip semgrep runs the others and says so in the summary", async () => {
      const dir = exampleCopy();
      const run = await scan(dir, "--skip", "semgrep");
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(path.join(dir, "..", "out", "summary.md"), "utf8")).toContain("Skipped (--skip): semgrep");
    }, 180_000);
  },
  allTools,
);

describe("scan test helpers", () => {
  it("plant AWS key IDs that gitleaks' rule shape accepts", () => {
    expect(awsKeyId()).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });
});
