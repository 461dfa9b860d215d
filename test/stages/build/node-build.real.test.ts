// Level 1 (real tools): the bundled example's own build actions run natively with the node preset's
// plan (buildPlan, the commands the Dagger build runs in its container): a real `npm ci` against the
// npm registry, ESLint to its JSON report, the TypeScript type check and vitest to JUnit XML. The
// build's own readers (toolchain-reports.ts, typecheck.ts) and the policy judge their real output.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseDocument } from "yaml";
import type { BuildPlan } from "../../../src/stages/build/preset.js";
import { listing, loadHostConfig } from "../../../src/cli/source-config.js";
import { resolveConfig } from "../../../src/config/load.js";
import type { DpraConfig } from "../../../src/config/schema.js";
import type { FindingSet } from "../../../src/findings/model.js";
import { evaluateGate } from "../../../src/policy/gate.js";
import { repoRoot } from "../../support/fixtures.js";
import { hostBuildPlan, runPlanCommand, runToolchainActions, type NativeActions } from "../../support/native-build.js";
import { describeReal, type Resolution } from "../../support/real.js";

const EXAMPLE = path.join(repoRoot, "examples", "fruit-api");
const TODAY = new Date("2026-12-07");

/** Node runs this test; the preset's commands need npm next to it. */
function nodeToolchain(): Resolution {
  const npm = spawnSync("npm", ["--version"], { encoding: "utf8" });
  if (npm.status !== 0) return { ok: false, reason: `npm is not on PATH (${npm.error?.message ?? npm.stderr})` };
  return { ok: true, tool: { name: "node-build", bin: process.execPath, version: process.versions.node } };
}

/** The example's dpra.yaml without its own build, lint and unit test commands: the preset's defaults decide. */
function presetDefaults(dir: string): DpraConfig {
  const doc = parseDocument(readFileSync(path.join(dir, "dpra.yaml"), "utf8"));
  doc.deleteIn(["build", "commands"]);
  doc.deleteIn(["tests", "unit"]);
  doc.deleteIn(["quality", "lint"]);
  return resolveConfig(doc.toString(), listing(dir), path.join(dir, "dpra.yaml"));
}

/** What ESLint reported and no directive in the source suppressed. */
function unsuppressed(set: FindingSet | undefined): FindingSet["findings"] {
  return (set?.findings ?? []).filter((f) => f.suppressed === undefined);
}

function sets(actions: NativeActions): FindingSet[] {
  return [actions.lint?.set, actions.typecheck?.set, actions.unit?.set].filter((s): s is FindingSet => s !== undefined);
}

function copyTree(from: string, to: string, skip: RegExp): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (src) => !skip.test(path.relative(from, src)) });
}

describeReal(
  "node-build",
  () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "dpra-node-build-"));
    const clean = path.join(tmp, "clean", "fruit-api");
    let config: DpraConfig;
    let plan: BuildPlan;

    beforeAll(async () => {
      // The example as a user clones it: no node_modules, no earlier reports or build output.
      copyTree(EXAMPLE, clean, /^(node_modules|reports|dist|dpra-reports|test-results)(\/|$)/);
      config = await loadHostConfig(clean, { cwd: clean });
      plan = hostBuildPlan(clean, config);
      const installed = await runPlanCommand(clean, plan, plan.install!);
      expect(installed.exitCode, installed.output).toBe(0);
    }, 120_000);
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it("plans the example's build with the preset: npm ci, ESLint JSON, the type check and vitest to JUnit", () => {
      expect(plan).toMatchObject({
        preset: "node",
        workdir: ".",
        env: { CI: "true" },
        install: "npm ci --no-audit --no-fund",
        typecheck: "npm run typecheck",
        lint: { format: "eslint-json", report: "reports/eslint.json" },
        unit: { command: "npm run test:unit", reports: ["reports/junit.xml"] },
      });
    });

    it("the clean example: each action completes, its real reports read without a blocking finding, and the JUnit report has passing tests", async () => {
      const actions = await runToolchainActions(clean, plan);
      expect(actions.lint?.incomplete).toBeUndefined();
      expect(actions.lint?.outcome.exitCode, actions.lint?.outcome.output).toBe(0);
      expect(actions.lint?.set).toMatchObject({ tool: "eslint", format: "eslint-json" });
      expect(unsuppressed(actions.lint?.set)).toEqual([]);
      // The example's two eslint-disable-line comments come back as suppressed findings, with their rule and line.
      const suppressed = actions.lint!.set!.findings.filter((f) => f.suppressed);
      expect(suppressed.map((f) => [f.rule, f.location.path, f.location.startLine, f.suppressed?.kind])).toEqual([
        ["@typescript-eslint/no-explicit-any", "tests/infra/template.test.ts", 14, "directive"],
        ["@typescript-eslint/no-explicit-any", "tests/infra/template.test.ts", 151, "directive"],
      ]);
      // ESLint's report lists each file it linted, by absolute host path: the reader made them relative.
      const linted = (JSON.parse(actions.lint!.report!) as Array<{ filePath: string }>).map((f) => path.relative(clean, f.filePath));
      expect(linted).toEqual(expect.arrayContaining(["src/app.ts", "tests/unit/routes.test.ts"]));
      expect(actions.typecheck?.outcome.exitCode, actions.typecheck?.outcome.output).toBe(0);
      expect(actions.typecheck?.set.findings).toEqual([]);
      expect(actions.unit?.exitCode, actions.unit?.outcome.output).toBe(0);
      expect(actions.unit?.tests.total).toBeGreaterThan(0);
      expect(actions.unit?.tests).toMatchObject({ failed: 0, errors: 0 });
      expect(actions.unit?.tests.passed).toBe(actions.unit!.tests.total - actions.unit!.tests.skipped);
      expect(actions.unit?.set.findings).toEqual([]);
      const gate = evaluateGate(sets(actions), config.policy, { today: TODAY });
      expect(gate.blocking).toEqual([]);
      expect(gate.passed).toBe(true);
    }, 90_000);

    it("the preset's own defaults (no commands in dpra.yaml) run on the example as well: npx eslint, vitest's JUnit reporter", async () => {
      rmSync(path.join(clean, "reports"), { recursive: true, force: true });
      const defaults = hostBuildPlan(clean, presetDefaults(clean));
      expect(defaults.lint?.command).toBe("npx --no-install eslint . --format json --output-file reports/eslint.json");
      expect(defaults.unit?.command).toBe("npx --no-install vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml");
      const actions = await runToolchainActions(clean, defaults);
      expect(actions.lint?.incomplete).toBeUndefined();
      expect(unsuppressed(actions.lint?.set)).toEqual([]);
      expect(actions.unit?.exitCode, actions.unit?.outcome.output).toBe(0);
      expect(actions.unit?.tests.total).toBeGreaterThan(0);
      expect(actions.unit?.tests).toMatchObject({ failed: 0, errors: 0 });
      expect(evaluateGate(sets(actions), config.policy, { today: TODAY }).blocking).toEqual([]);
    }, 90_000);

    it("a copy with a planted lint error, type error and failing unit test: exactly those findings, each at its file and line, and the gate blocks", async () => {
      const planted = path.join(tmp, "planted", "fruit-api");
      copyTree(clean, planted, /^(reports|dist)(\/|$)/);
      writeFileSync(
        path.join(planted, "src", "planted.ts"),
        ["export function double(n: number): number {", "  const unused = n;", "  return n * 2;", "}", 'export const count: number = "three";', ""].join("\n"),
      );
      writeFileSync(
        path.join(planted, "tests", "unit", "planted.test.ts"),
        [
          'import { describe, expect, it } from "vitest";',
          'import { double } from "../../src/planted.js";',
          "",
          'describe("planted", () => {',
          '  it("doubles two", () => {',
          "    expect(double(2)).toBe(5);",
          "  });",
          "});",
          "",
        ].join("\n"),
      );
      const plantedPlan = hostBuildPlan(planted, await loadHostConfig(planted, { cwd: planted }));
      const actions = await runToolchainActions(planted, plantedPlan);

      expect(actions.lint?.incomplete).toBeUndefined();
      expect(actions.lint?.outcome.exitCode).toBe(1);
      expect(unsuppressed(actions.lint?.set).map((f) => [f.rule, f.location.path, f.location.startLine, f.severity])).toEqual([
        ["@typescript-eslint/no-unused-vars", "src/planted.ts", 2, "high"],
      ]);
      expect(actions.typecheck?.outcome.exitCode).not.toBe(0);
      expect(actions.typecheck?.set.findings.map((f) => [f.rule, f.location.path, f.location.startLine])).toEqual([["TS2322", "src/planted.ts", 5]]);
      expect(actions.unit?.exitCode).not.toBe(0);
      expect(actions.unit?.tests).toMatchObject({ failed: 1, errors: 0 });
      expect(actions.unit?.tests.passed).toBeGreaterThan(0);
      const failing = actions.unit!.set.findings;
      expect(failing.map((f) => [f.rule, f.location.path])).toEqual([["test-failure", "tests/unit/planted.test.ts"]]);
      expect(failing[0]!.message).toContain("planted > doubles two");
      expect(failing[0]!.message).toMatch(/expected 4 to be 5/);

      const gate = evaluateGate(sets(actions), config.policy, { today: TODAY });
      expect(gate.passed).toBe(false);
      expect(gate.blocking.map((g) => g.finding.rule).sort()).toEqual(["@typescript-eslint/no-unused-vars", "TS2322", "test-failure"]);
    }, 90_000);
  },
  nodeToolchain,
);
