// Level 4 (pure core, genuine reports): dpra's own SARIF, given back as policy.baseline, matches the
// findings it was written from by their fingerprints, whatever tool reported them.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { parseSarif } from "../../src/findings/sarif.js";
import { evaluateGate } from "../../src/policy/gate.js";
import { renderSarif } from "../../src/policy/render.js";
import { parseFixture } from "../support/findings.js";

const today = new Date("2026-06-15T00:00:00Z");

describe("dpra SARIF as a baseline", () => {
  it("carries every finding's fingerprint and reads it back, so a second gate finds nothing new", async () => {
    const sets = await Promise.all([
      parseFixture("trivy", "trivy-npm-with-suppressed-vex.json"),
      parseFixture("gitleaks", "pygoat-gitleaks-git-report.json"),
      parseFixture("semgrep", "juice-shop-semgrep-report.json"),
    ]);
    const policy = validateConfig({}).policy;
    const first = evaluateGate(sets, policy, { today });
    expect(first.blocking.length).toBeGreaterThan(0);
    const baseline = parseSarif(JSON.parse(renderSarif(first)), "dpra.sarif").findings;
    const written = new Set(first.findings.map((g) => g.finding.fingerprint));
    expect(new Set(baseline.map((f) => f.fingerprint))).toEqual(written);
    const second = evaluateGate(sets, policy, { today, baseline });
    expect(second.blocking).toEqual([]);
  });
});
