import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planCommand } from "../../src/cli/commands/plan.js";
import { resolveConfig } from "../../src/config/load.js";
import { buildRunPlan } from "../../src/pipeline/plan.js";
import { parsePlanFormat, renderPlan } from "../../src/pipeline/render.js";

const plan = (yaml = "name: bare\n") => buildRunPlan(resolveConfig(yaml, ["package.json"]), "beta");

describe("plan rendering", () => {
  it("text: every stage, each action with its mark, state and order", () => {
    const text = renderPlan(plan("name: a\ndatabase: { tool: flyway }\n"), "text");
    expect(text).toMatch(/^DPRA application pipeline: release --env beta/);
    for (const title of ["Source", "Pre-Commit hooks", "Build", "Test (Beta)", "Test (Gamma) (does not run)", "Prod (does not run)"]) {
      expect(text).toContain(`\n${title}\n`);
    }
    expect(text).toMatch(/required\s+package-artifacts\s+runs\s+image from Dockerfile, built once \(after build-code\)/);
    expect(text).toMatch(/recommended\s+db-deploy\s+runs\s+flyway \(db\/migrations\) against the Beta PostgreSQL service \(after launch-env\)/);
    expect(text).toMatch(/recommended\s+integration-tests\s+not configured\s+set tests.integration.command/);
    expect(text).toMatch(/required\s+sast\s+runs\s+semgrep \(concurrent: build service\)/);
    expect(text).toMatch(/required\s+approval\s+not in this run.*\[the DPRA prose marks it required, its diagram recommended\]/);
  });

  it("mermaid: coloured classes, dashed unconfigured nodes, dependency edges, stage hand-over", () => {
    const out = renderPlan(plan(), "mermaid");
    expect(out.split("\n")[0]).toBe("flowchart LR");
    expect(out).toContain('build_sast["Static Application Security Testing (SAST)"]:::required');
    expect(out).toContain('beta_db_deploy["Database Deploy (not configured)"]:::recommendedOff');
    expect(out).toContain('beta_launch_env["Launch Environment"]:::recommended');
    expect(out).toContain("build_build_code --> build_package_artifacts");
    expect(out).toContain("build_sca --> beta_launch_env");
    expect(out).toContain("beta_launch_env --> beta_deploy_software");
    expect(out).toContain("classDef required fill:#ff9900");
    expect(out).toContain("classDef recommended fill:#d4dada");
    expect(out).not.toContain("beta_db_deploy -->");
  });

  it("dot: DPRA colours, clusters per stage, dashed unconfigured nodes, balanced braces", () => {
    const out = renderPlan(plan(), "dot");
    expect(out).toMatch(/^digraph dpra \{/);
    expect(out).toContain("subgraph cluster_beta {");
    expect(out).toMatch(/build_unit_tests \[label="Unit Tests" color="#ff9900" style="filled"/);
    expect(out).toMatch(/beta_e2e_tests \[label="End-to-End \(E2E\) Tests \(not configured\)" color="#d4dada" style="dashed"/);
    expect(out).toContain("build_package_artifacts -> build_sca");
    expect(out.split("{").length).toBe(out.split("}").length);
  });

  it("accepts graphviz as a name for dot and rejects unknown formats", () => {
    expect(parsePlanFormat("Graphviz")).toBe("dot");
    expect(() => parsePlanFormat("svg")).toThrow(/unknown plan format "svg": expected text, mermaid or dot/);
  });
});

describe("npx dpra plan", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: "/" } };
  };
  const app = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-plan-"));
    writeFileSync(path.join(dir, "package.json"), "{}");
    mkdirSync(path.join(dir, "db"));
    return dir;
  };

  it("prints the plan of the given source, detecting the database from db/", async () => {
    const t = io();
    expect(await planCommand(["--source", app(), "--format", "mermaid"], t.io)).toBe(0);
    expect(t.out.join("")).toContain('beta_db_deploy["Database Deploy"]:::recommended');
    expect(t.err).toEqual([]);
  });

  it("reads dpra.yaml and plans for the requested environment", async () => {
    const dir = app();
    writeFileSync(path.join(dir, "dpra.yaml"), "name: x\ntests:\n  e2e: { command: npx playwright test }\n");
    const t = io();
    expect(await planCommand([`--source=${dir}`, "--env=gamma"], t.io)).toBe(0);
    const text = t.out.join("");
    expect(text).toMatch(/release --env gamma/);
    expect(text).toMatch(/e2e-tests\s+runs/);
    expect(text).toMatch(/launch-env\s+not configured\s+set environments.gamma/);
  });

  it("fails with exit 2 and the config error naming the file", async () => {
    const dir = app();
    writeFileSync(path.join(dir, "dpra.yaml"), "name: x\ndatabase: { tool: mongo }\n");
    const t = io();
    expect(await planCommand(["--source", dir], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/dpra\.yaml:2:\d+ database\.tool/);
  });

  it("rejects bad usage with exit code 2 and the usage text", async () => {
    const t = io();
    expect(await planCommand(["--env", "staging"], t.io)).toBe(2);
    expect(t.err.join("")).toMatch(/--env must be one of beta, gamma, prod, not "staging"[\s\S]*Usage: dpra plan/);
    const u = io();
    expect(await planCommand(["--frobnicate"], u.io)).toBe(2);
    const h = io();
    expect(await planCommand(["--help"], h.io)).toBe(0);
    expect(h.out.join("")).toMatch(/^Usage: dpra plan/);
  });
});

describe("plan as a dpra CLI command", () => {
  it("has the dispatcher's command shape", async () => {
    const { planCliCommand } = await import("../../src/cli/commands/plan.js");
    const out: string[] = [];
    const code = await planCliCommand.run(["--help"], { stdout: (t) => out.push(t), stderr: () => {}, cwd: "/", now: () => new Date(), stdin: async () => Buffer.alloc(0) });
    expect(planCliCommand.name).toBe("plan");
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/^Usage: dpra plan/);
  });
});

describe("mermaid escaping", () => {
  it("escapes & and quotes in labels", () => {
    const out = renderPlan(buildRunPlan(resolveConfig("name: x\n", ["package.json"]), "gamma"), "mermaid");
    expect(out).toContain('gamma_monitoring["Application Monitoring #amp; Logging (not configured)"]');
  });
});
