// Real-component tests: a suite that runs a real tool or service (level 1 in README's "How this is
// tested"). The tool is looked up in `.tools/bin` (npm run tools:install) and then on PATH, and its
// version must be the catalog's pin. When it is missing or another version: under CI=true the suite
// fails with the reason (nothing real is skipped in CI); locally it is skipped and says why.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "vitest";
import { TOOLS, type ToolName, type ToolPin } from "../../src/tools/catalog.js";
import { findBinary, INSTALL_HINT } from "../../src/tools/host.js";
import { versionIn } from "../../src/tools/version.js";
import { repoRoot } from "./fixtures.js";

export const TOOLS_BIN = path.join(repoRoot, ".tools", "bin");

export interface RealTool {
  /** The component, as in the `real: <component>` lines (a catalog tool, or e.g. moto, postgresql, chromium). */
  name: string;
  /** Absolute path of the binary that runs. */
  bin: string;
  version: string;
}

export type Resolution = { ok: true; tool: RealTool } | { ok: false; reason: string };

/** Finds the pinned tool on this host, or says why it cannot be used. */
export function resolveTool(name: ToolName): Resolution {
  const pin: ToolPin = TOOLS[name];
  // The same lookup as `dpra scan`: .tools/bin first, then PATH.
  const bin = findBinary(name, { toolsDir: path.dirname(TOOLS_BIN) });
  if (!bin) return { ok: false, reason: `${name} ${pin.version} is not installed (run ${INSTALL_HINT})` };
  const out = spawnSync(bin, [...pin.versionArgs], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...pin.runEnv } });
  const version = versionIn(`${out.stdout ?? ""}${out.stderr ?? ""}`, pin.versionPattern);
  if (version !== pin.version) {
    return { ok: false, reason: `${bin} prints version ${version ?? "(none)"}, the pin is ${pin.version}` };
  }
  return { ok: true, tool: { name, bin, version } };
}

/**
 * A suite that needs a real component. `check` says whether it can run here; the default checks
 * a pinned tool of the catalog. Under CI=true an unavailable component fails the run.
 */
export function describeReal(component: string, body: (tool: RealTool) => void, check: () => Resolution = () => resolveTool(component as ToolName)): void {
  const found = check();
  if (found.ok) {
    // The version in the suite name feeds the `real: <component> <version> ...` lines (test/support/real-reporter.ts).
    describe(`real: ${component}${found.tool.version ? ` ${found.tool.version}` : ""}`, () => body(found.tool));
    return;
  }
  if (process.env.CI === "true") {
    describe(`real: ${component}`, () => {
      it("is available in CI", () => {
        throw new Error(`${component} is required under CI=true: ${found.reason}`);
      });
    });
    return;
  }
  process.stderr.write(`real: ${component} skipped: ${found.reason}\n`);
  describe.skip(`real: ${component} (skipped: ${found.reason})`, () => body({ name: component, bin: "(unavailable)", version: "" }));
}
