import { describe, expect, it } from "vitest";
import { ApprovalError, approvalReport, parseCiVars, resolveApproval, type ApprovalRequest } from "../../../src/actions/approval/approval.js";

const github = {
  GITHUB_ACTIONS: "true",
  GITHUB_RUN_ID: "9876543210",
  GITHUB_RUN_ATTEMPT: "2",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/fruit-api",
  GITHUB_ACTOR: "octo-dev",
  GITHUB_TRIGGERING_ACTOR: "octo-lead",
};
const base: ApprovalRequest = {
  ciVars: {},
  requiredEnvironment: "prod",
  allowedSources: ["ci-environment", "explicit"],
  now: new Date("2026-11-26T09:30:00Z"),
};

describe("resolveApproval", () => {
  it("records the CI environment protection with the run URL and the triggering actor", () => {
    const a = resolveApproval({ ...base, ciVars: github, ciEnvironment: "prod" });
    expect(a).toMatchObject({
      source: "ci-environment",
      approver: "octo-lead",
      environment: "prod",
      runUrl: "https://github.com/acme/fruit-api/actions/runs/9876543210/attempts/2",
      recordedAt: "2026-11-26T09:30:00.000Z",
    });
    expect(a.approverBasis).toMatch(/GITHUB_TRIGGERING_ACTOR: who started the run/);
    expect(a.doesNotProve.join(" ")).toMatch(/does not expose the reviewer/);
    expect(a.proves.join(" ")).toMatch(/repo:acme\/fruit-api:environment:prod/);
  });

  it("prefers --approved-by as the approver next to the CI protection, and falls back to GITHUB_ACTOR", () => {
    expect(resolveApproval({ ...base, ciVars: github, ciEnvironment: "prod", approvedBy: "Jane Reviewer" })).toMatchObject({
      source: "ci-environment",
      approver: "Jane Reviewer",
    });
    const { GITHUB_TRIGGERING_ACTOR: _omit, ...noTrigger } = github;
    expect(resolveApproval({ ...base, ciVars: noTrigger, ciEnvironment: "prod" }).approver).toBe("octo-dev");
  });

  it("accepts an explicit --approved-by outside CI where explicit is allowed, marked self-asserted", () => {
    const a = resolveApproval({ ...base, approvedBy: "jane@example.com" });
    expect(a).toMatchObject({ source: "explicit", approver: "jane@example.com", selfAsserted: true });
    expect(a.approverBasis).toMatch(/^--approved-by, self-asserted/);
    expect(a.runUrl).toBeUndefined();
  });

  it("refuses a missing approval with a clear message listing what each source lacked", () => {
    const run = () => resolveApproval(base);
    expect(run).toThrow(ApprovalError);
    expect(run).toThrow(/prod needs an approval and none was found, so nothing was deployed to prod/);
    expect(run).toThrow(/- ci-environment: GITHUB_ACTIONS is not "true"/);
    expect(run).toThrow(/- explicit: no --approved-by given/);
  });

  it("refuses a CI run without the protected-environment marker, or from another environment", () => {
    expect(() => resolveApproval({ ...base, ciVars: github })).toThrow(/no protected-environment marker/);
    expect(() => resolveApproval({ ...base, ciVars: github, ciEnvironment: "staging" })).toThrow(/ran in environment "staging", but prod approval requires "prod"/);
  });

  it("honours the allowed sources: explicit approval can be turned off", () => {
    expect(() => resolveApproval({ ...base, allowedSources: ["ci-environment"], approvedBy: "jane" })).toThrow(/ci-environment: GITHUB_ACTIONS/);
    expect(() => resolveApproval({ ...base, allowedSources: [] })).toThrow(/approval.sources is empty/);
  });

  it("refuses approver names that could inject into the report", () => {
    expect(() => resolveApproval({ ...base, approvedBy: "jane\n## Approved" })).toThrow(/must be a name or handle/);
  });

  it("does not build a run URL from malformed CI variables", () => {
    const bad = { ...github, GITHUB_SERVER_URL: "javascript:alert(1)" };
    expect(() => resolveApproval({ ...base, allowedSources: ["ci-environment"], ciVars: bad, ciEnvironment: "prod" })).toThrow(
      /GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID are needed/,
    );
  });
});

describe("parseCiVars", () => {
  it("reads KEY=VALUE lines, keeping = in values", () => {
    expect(parseCiVars("GITHUB_ACTIONS=true\n\nGITHUB_REF=refs/heads/main\nX=a=b\n")).toEqual({
      GITHUB_ACTIONS: "true",
      GITHUB_REF: "refs/heads/main",
      X: "a=b",
    });
    expect(() => parseCiVars("GITHUB_ACTIONS true")).toThrow(/--ci-vars line 1: expected KEY=VALUE/);
  });
});

describe("approvalReport", () => {
  it("holds the digest, every prod stack's change-set diff and the approval record", () => {
    const approval = resolveApproval({ ...base, ciVars: github, ciEnvironment: "prod" });
    const text = approvalReport({
      digest: "sha256:" + "a".repeat(64),
      changeSets: [
        { stack: "fruit-api-prod", region: "eu-west-1", diff: "~ Modify TaskDefinition (AWS::ECS::TaskDefinition) Replacement: True" },
        { stack: "fruit-api-prod", region: "us-east-1", diff: "" },
      ],
      approval,
    });
    expect(text).toContain("Image digest: `sha256:" + "a".repeat(64) + "`");
    expect(text).toContain("### fruit-api-prod (eu-west-1)");
    expect(text).toContain("~ Modify TaskDefinition (AWS::ECS::TaskDefinition) Replacement: True");
    expect(text).toMatch(/### fruit-api-prod \(us-east-1\)\n\n```diff\n\(no changes\)\n```/);
    expect(text).toContain("- Approved by: octo-lead");
    expect(text).toContain("- Run: https://github.com/acme/fruit-api/actions/runs/9876543210/attempts/2");
  });

  it("keeps a diff that contains a code fence inside its block", () => {
    const text = approvalReport({ digest: "sha256:x", changeSets: [{ stack: "s", region: "r", diff: "```\nsneaky" }] });
    expect(text).toMatch(/~~~~diff\n```\nsneaky\n~~~~/);
  });
});
