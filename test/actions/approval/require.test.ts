// Level 4 (fixture unit test): requireProdApproval, the one gate of `deploy --env prod` (Dagger and
// engine-free) and `release --env prod`. Default config: only the CI's protected environment approves.
import { describe, expect, it } from "vitest";
import { approvalReport } from "../../../src/actions/approval/approval.js";
import { requireProdApproval } from "../../../src/actions/approval/require.js";
import { ApprovalConfig } from "../../../src/config/sections/verification.js";

const defaults = ApprovalConfig.parse({});
const explicitEnabled = ApprovalConfig.parse({ sources: ["ci-environment", "explicit"] });
const ciVars = "GITHUB_ACTIONS=true\nGITHUB_SERVER_URL=https://github.com\nGITHUB_REPOSITORY=acme/fruit-api\nGITHUB_RUN_ID=42\nGITHUB_ACTOR=octo";
const now = new Date("2026-12-07T08:00:00Z");

describe("requireProdApproval", () => {
  it("the default sources are the CI environment only", () => {
    expect(defaults.sources).toEqual(["ci-environment"]);
  });

  it("refuses --approved-by alone for prod under the default config, saying how to enable it", () => {
    expect(() => requireProdApproval({ config: defaults, env: "prod", input: { approvedBy: "mallory" }, now })).toThrow(
      /--approved-by alone is not accepted, because dpra.yaml approval.sources does not list explicit[\s\S]*list explicit in approval.sources/,
    );
  });

  it("accepts --approved-by where dpra.yaml lists explicit, and the report marks it self-asserted", () => {
    const approval = requireProdApproval({ config: explicitEnabled, env: "prod", input: { approvedBy: "jane" }, now });
    expect(approval).toMatchObject({ source: "explicit", approver: "jane", selfAsserted: true });
    const report = approvalReport({ digest: "sha256:" + "a".repeat(64), changeSets: [], approval: approval! });
    expect(report).toMatch(/\*\*Self-asserted\*\*: only the caller's --approved-by backs this approval/);
  });

  it("accepts the CI environment protection by default, not self-asserted", () => {
    const approval = requireProdApproval({ config: defaults, env: "prod", input: { ciVars, ciEnvironment: "prod" }, now });
    expect(approval).toMatchObject({ source: "ci-environment", approver: "octo", selfAsserted: false });
  });

  it("needs no approval for gamma or a preview", () => {
    expect(requireProdApproval({ config: defaults, env: "gamma", input: {}, now })).toBeUndefined();
    expect(requireProdApproval({ config: defaults, env: "prod", preview: true, input: {}, now })).toBeUndefined();
  });

  it("in a single-call release, refuses before Gamma passed and names the Gamma run after", () => {
    expect(() => requireProdApproval({ config: defaults, env: "prod", input: { ciVars, ciEnvironment: "prod" }, gamma: { required: true }, now })).toThrow(
      /only after Gamma passed in this run, and Gamma has not passed/,
    );
    const approval = requireProdApproval({
      config: defaults,
      env: "prod",
      input: { ciVars, ciEnvironment: "prod" },
      gamma: { required: true, passedRun: "Gamma of release run r-1 passed for sha256:abc" },
      now,
    });
    expect(approval?.gammaRun).toBe("Gamma of release run r-1 passed for sha256:abc");
    expect(approvalReport({ digest: "sha256:abc", changeSets: [], approval: approval! })).toContain("- After Gamma: Gamma of release run r-1 passed for sha256:abc");
  });
});
