import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../../support/fixtures.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  id?: string;
}
interface Job {
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}

const file = path.join(repoRoot, "examples", "workflows", "release.yml");
const text = readFileSync(file, "utf8");
const wf = parse(text) as { permissions: Record<string, string>; jobs: Record<string, Job>; concurrency: unknown };
// A run step that calls release: `dagger -m "$DPRA" call --source=. with-aws ... release --env=...`.
const callsRelease = (run: string | undefined): boolean => run !== undefined && /dagger -m "\$DPRA" call\b[\s\S]*\srelease\s/.test(run);

describe("examples/workflows/release.yml", () => {
  it("has the three release steps, beta then gamma then prod", () => {
    const calls = Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.flatMap((s) => (callsRelease(s.run) ? [[job, /--env=(\w+)/.exec(s.run!)?.[1]]] : [])));
    expect(calls).toEqual([
      ["beta", "beta"],
      ["gamma", "gamma"],
      ["prod", "prod"],
    ]);
    expect(wf.jobs.gamma?.needs).toBe("beta");
    expect(wf.jobs.prod?.needs).toEqual(["beta", "gamma"]);
  });

  it("uses OIDC only where AWS is needed, with the protected environments", () => {
    expect(wf.permissions).toEqual({ contents: "read" });
    // Beta publishes the image that passed it, with a role that can only push to ECR.
    expect(wf.jobs.beta?.environment).toBeUndefined();
    expect(wf.jobs.beta?.permissions?.["id-token"]).toBe("write");
    const publishCreds = wf.jobs.beta!.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(publishCreds?.with?.["role-to-assume"]).toMatch(/role\/dpra-pipeline-publish$/);
    for (const env of ["gamma", "prod"]) {
      const job = wf.jobs[env]!;
      expect(job.environment).toBe(env);
      expect(job.permissions?.["id-token"]).toBe("write");
      const creds = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(creds?.with?.["role-to-assume"]).toMatch(new RegExp(`role/dpra-pipeline-${env}$`));
    }
  });

  it("promotes the digest Beta printed, passes AWS credentials only as env: secrets, and records the approval in prod", () => {
    expect(wf.jobs.beta?.outputs?.digest).toBe("${{ steps.release.outputs.digest }}");
    const beta = wf.jobs.beta!.steps.find((s) => callsRelease(s.run))!.run!;
    expect(beta).toContain("--publish");
    expect(beta).toContain("--aws-secret-access-key=env:AWS_SECRET_ACCESS_KEY");
    expect(beta, "credentials given once, to with-aws").toMatch(/\swith-aws --aws-access-key-id=env:AWS_ACCESS_KEY_ID\s/);
    for (const env of ["gamma", "prod"]) {
      const step = wf.jobs[env]!.steps.find((s) => callsRelease(s.run))!;
      expect(step.env?.DIGEST).toBe("${{ needs.beta.outputs.digest }}");
      expect(step.run).toContain('--digest="$DIGEST"');
      expect(step.run).toContain("--aws-secret-access-key=env:AWS_SECRET_ACCESS_KEY");
      expect(step.run).not.toMatch(/--aws-secret-access-key=\$/);
      expect(step.run, "credentials given once, to with-aws").toMatch(/\swith-aws --aws-access-key-id=env:AWS_ACCESS_KEY_ID\s/);
    }
    const prod = wf.jobs.prod!.steps.find((s) => callsRelease(s.run))!.run!;
    expect(prod).toContain("--ci-environment=prod");
    expect(prod).toMatch(/--ci-vars=.*GITHUB_\(ACTIONS\|SERVER_URL\|REPOSITORY\|RUN_ID\|RUN_ATTEMPT\|ACTOR\|TRIGGERING_ACTOR\)/);
  });

  it("is the workflow shown in docs/github-actions.md and in the README", () => {
    const doc = readFileSync(path.join(repoRoot, "docs", "github-actions.md"), "utf8");
    expect(doc).toContain(text);
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(text);
  });
});
