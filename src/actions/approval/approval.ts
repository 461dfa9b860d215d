/**
 * Prod approval: either the CI's own environment protection (recorded from the CI variables) or an
 * explicit `--approved-by`. No approval, no prod deploy.
 *
 * What this can and cannot prove, honestly:
 * - GitHub does not expose who approved a deployment review to the job. With `ci-environment`, the
 *   approver recorded is `--approved-by` when given (e.g. read from the run's deployment review by an
 *   earlier step), else the triggering actor, and the record says which.
 * - The CI variables and the environment marker are claims made by the caller: anyone running
 *   `dagger call` can set them. What enforces the approval is AWS: the prod deploy role's trust policy
 *   must require the OIDC subject `repo:<owner>/<repo>:environment:<name>`, which GitHub only issues
 *   to a job that passed the environment's required reviewers. The record points at the run where the
 *   review is visible.
 */

export type ApprovalSource = "ci-environment" | "explicit";

/**
 * One stack's change set as the reviewer reads it: the text rendering of a created (not executed)
 * change set. The structured diff is the deployer's ChangeSetDiff (src/aws/cloudformation/diff.ts).
 */
export interface ChangeSetPreview {
  stack: string;
  region: string;
  /** The change-set diff as text (the deployer's formatDiff of DescribeChangeSet), or why there is none. */
  diff: string;
}

export interface ApprovalRequest {
  /** CI variables (GITHUB_*), e.g. from `parseCiVars`. */
  ciVars: Record<string, string | undefined>;
  /** The marker: name of the protected CI environment the job ran in (the workflow's `environment:`). */
  ciEnvironment?: string;
  /** The environment name the approval must come from (config `approval.environment`). */
  requiredEnvironment: string;
  approvedBy?: string;
  allowedSources: readonly ApprovalSource[];
  now: Date;
}

export interface ApprovalRecord {
  source: ApprovalSource;
  approver: string;
  /** Where the approver's name comes from. */
  approverBasis: string;
  environment?: string;
  runUrl?: string;
  recordedAt: string;
  /** True when nothing but the caller's word backs the approval (`explicit`, enabled in dpra.yaml). */
  selfAsserted: boolean;
  /** The Gamma run that passed before this approval (a single-call release), or the Gamma pass record used. */
  gammaRun?: string;
  proves: string[];
  doesNotProve: string[];
}

export class ApprovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApprovalError";
  }
}

const NAME = /^[\w.@+\-[\] ]{1,100}$/;

/** Parses `KEY=VALUE` lines (e.g. `env | grep ^GITHUB_`); other lines are refused so typos show. */
export function parseCiVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new ApprovalError(`--ci-vars line ${i + 1}: expected KEY=VALUE, found "${line.slice(0, 40)}"`);
    vars[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return vars;
}

/** The GitHub Actions run URL from the CI variables, when they name one. */
export function githubRunUrl(v: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = v;
  if (!server || !repo || !run) return undefined;
  if (!/^https:\/\/[\w.-]+(:\d+)?$/.test(server) || !/^[\w.-]+\/[\w.-]+$/.test(repo) || !/^\d+$/.test(run)) return undefined;
  return `${server}/${repo}/actions/runs/${run}${attempt && /^\d+$/.test(attempt) ? `/attempts/${attempt}` : ""}`;
}

function ciEnvironmentApproval(req: ApprovalRequest): ApprovalRecord | string {
  const v = req.ciVars;
  if (v.GITHUB_ACTIONS !== "true") return 'GITHUB_ACTIONS is not "true": not running in GitHub Actions (pass the CI variables with --ci-vars)';
  if (!req.ciEnvironment) return "no protected-environment marker: pass --ci-environment with the name of the job's `environment:`";
  if (req.ciEnvironment !== req.requiredEnvironment) {
    return `the job ran in environment "${req.ciEnvironment}", but prod approval requires "${req.requiredEnvironment}" (approval.environment)`;
  }
  const runUrl = githubRunUrl(v);
  if (!runUrl) return "GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID are needed to record the run";
  const actor = v.GITHUB_TRIGGERING_ACTOR || v.GITHUB_ACTOR;
  const explicit = req.approvedBy?.trim();
  if (!explicit && !actor) return "neither --approved-by nor GITHUB_TRIGGERING_ACTOR/GITHUB_ACTOR names anyone";
  return {
    source: "ci-environment",
    approver: (explicit || actor) as string,
    approverBasis: explicit
      ? "--approved-by, given next to the CI environment protection"
      : `${v.GITHUB_TRIGGERING_ACTOR ? "GITHUB_TRIGGERING_ACTOR" : "GITHUB_ACTOR"}: who started the run; the reviewer who approved is shown in the run's deployment review`,
    environment: req.ciEnvironment,
    runUrl,
    recordedAt: req.now.toISOString(),
    selfAsserted: false,
    proves: [
      `the caller states the job ran in the protected GitHub environment "${req.ciEnvironment}" (run ${runUrl})`,
      `enforced only if the prod deploy role trusts the OIDC subject repo:${v.GITHUB_REPOSITORY}:environment:${req.ciEnvironment}: then AWS refuses the deploy without the review`,
    ],
    doesNotProve: [
      "who clicked approve: GitHub does not expose the reviewer to the job (see the run's deployment review)",
      "anything by itself: the CI variables are supplied by the caller",
    ],
  };
}

function explicitApproval(req: ApprovalRequest): ApprovalRecord | string {
  const who = req.approvedBy?.trim();
  if (!who) return "no --approved-by given";
  if (!NAME.test(who)) return `--approved-by "${who.slice(0, 40)}" must be a name or handle (letters, digits, . _ - @ + [ ] and spaces)`;
  return {
    source: "explicit",
    approver: who,
    approverBasis: "--approved-by, self-asserted (approval.sources lists explicit)",
    runUrl: githubRunUrl(req.ciVars),
    recordedAt: req.now.toISOString(),
    selfAsserted: true,
    proves: [`the caller states that ${who} approved this release (self-asserted: nobody else confirmed it)`],
    doesNotProve: ["that the approver saw this report or exists: it is the caller's statement, kept for audit"],
  };
}

/** Finds the approval for a prod release, or fails saying what each allowed source lacked. */
export function resolveApproval(req: ApprovalRequest): ApprovalRecord {
  if (req.allowedSources.length === 0) throw new ApprovalError("approval.sources is empty: prod always needs an approval source");
  const reasons: string[] = [];
  const explicitOnly = req.approvedBy?.trim() && !req.allowedSources.includes("explicit");
  for (const source of ["ci-environment", "explicit"] as const) {
    if (!req.allowedSources.includes(source)) continue;
    const result = source === "ci-environment" ? ciEnvironmentApproval(req) : explicitApproval(req);
    if (typeof result !== "string") return result;
    reasons.push(`${source}: ${result}`);
  }
  if (explicitOnly) reasons.push("explicit: --approved-by alone is not accepted, because dpra.yaml approval.sources does not list explicit");
  throw new ApprovalError(
    `prod needs an approval and none was found, so nothing was deployed to prod.\n${reasons.map((r) => `- ${r}`).join("\n")}\n` +
      "Run the prod step in a protected CI environment (GitHub: `environment: prod` with required reviewers) and pass " +
      '--ci-environment prod --ci-vars "$(env | grep ^GITHUB_)"' +
      (req.allowedSources.includes("explicit") ? ", or pass --approved-by <name>." : ". To accept a self-asserted --approved-by, list explicit in approval.sources of dpra.yaml."),
  );
}

/** The report the approver reads: what is released, the change-set diff of every prod stack, and the approval record. */
export function approvalReport(opts: { digest: string; changeSets: readonly ChangeSetPreview[]; approval?: ApprovalRecord; gammaSummary?: string }): string {
  const lines = ["# Prod release approval", "", `Image digest: \`${opts.digest}\` (the digest Gamma deployed)`, ""];
  if (opts.gammaSummary) lines.push("## Gamma", "", opts.gammaSummary, "");
  lines.push("## Change sets", "");
  if (opts.changeSets.length === 0) lines.push("No prod stack change sets were given.", "");
  for (const cs of opts.changeSets) {
    lines.push(`### ${cs.stack} (${cs.region})`, "");
    const fence = cs.diff.includes("```") ? "~~~~" : "```";
    lines.push(fence + "diff", cs.diff.trim() === "" ? "(no changes)" : cs.diff.trimEnd(), fence, "");
  }
  if (opts.approval) {
    const a = opts.approval;
    lines.push(
      "## Approval",
      "",
      `- Approved by: ${a.approver} (${a.approverBasis})`,
      `- Source: ${a.source}${a.environment ? `, environment \`${a.environment}\`` : ""}`,
      ...(a.selfAsserted ? ["- **Self-asserted**: only the caller's --approved-by backs this approval (approval.sources lists explicit)"] : []),
      ...(a.gammaRun ? [`- After Gamma: ${a.gammaRun}`] : []),
      ...(a.runUrl ? [`- Run: ${a.runUrl}`] : []),
      `- Recorded at: ${a.recordedAt}`,
      ...a.proves.map((p) => `- Shows: ${p}`),
      ...a.doesNotProve.map((p) => `- Does not show: ${p}`),
      "",
    );
  }
  return lines.join("\n");
}
