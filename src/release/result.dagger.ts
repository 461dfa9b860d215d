// ReleaseResult: what `dagger call release` returns. Per stage and per action: status, duration,
// report files; the image digest; the overall verdict; the reports directory.
import { Directory, func, object } from "@dagger.io/dagger";
import type { ActionRun, PlanRun, StageRun } from "../pipeline/execute.js";
import { releaseJson, releaseMarkdown } from "./summary.js";

/** One action of a release. */
@object()
export class ReleaseActionResult {
  /** Action ID, `<stage>.<action>`. */
  @func() id = "";
  /** Stage ID: build, beta, gamma or prod. */
  @func() stage = "";
  /** Action name inside its stage. */
  @func() name = "";
  /** succeeded, failed, cancelled or skipped. */
  @func() status = "";
  /** What was done, what failed, or why it did not run. */
  @func() summary = "";
  /** Wall-clock duration in milliseconds. */
  @func() durationMs = 0;
  /** Report files, as paths inside the release's reports directory. */
  @func() reports: string[] = [];

  static from(a: ActionRun): ReleaseActionResult {
    return Object.assign(new ReleaseActionResult(), { ...a, durationMs: Math.round(a.durationMs), reports: [...a.reports] });
  }
}

/** One stage of a release. */
@object()
export class ReleaseStageResult {
  /** Stage ID: source, pre-commit, build, beta, gamma or prod. */
  @func() id = "";
  /** The DPRA name of the stage. */
  @func() title = "";
  /** failed if an action failed, cancelled if one was cancelled, succeeded if any ran, else skipped. */
  @func() status = "";
  /** Wall-clock duration in milliseconds. */
  @func() durationMs = 0;
  /** Every DPRA action of the stage, with what happened to it. */
  @func() actions: ReleaseActionResult[] = [];

  static from(s: StageRun): ReleaseStageResult {
    return Object.assign(new ReleaseStageResult(), {
      id: s.id,
      title: s.title,
      status: s.status,
      durationMs: Math.round(s.durationMs),
      actions: s.actions.map((a) => ReleaseActionResult.from(a)),
    });
  }
}

/** The outcome of a release: verdict, image digest, every stage and action, and the reports. */
@object()
export class ReleaseResult {
  /** Target environment: beta, gamma or prod. */
  @func() env = "";
  /** passed, failed or cancelled. */
  @func() verdict = "";
  /** The action that stopped the release and why; empty when it passed. */
  @func() failure = "";
  /** Digest of the image the release deployed. */
  @func() imageDigest = "";
  /** Every DPRA stage, in order. */
  @func() stages: ReleaseStageResult[] = [];
  /** Every report file of the release (JUnit, DB deploy, traces, release.md, release.json). */
  @func() reports!: Directory;
  /** The release report as Markdown. */
  @func() markdown = "";
  /** The image reference pinned by digest (registry/repository@sha256:...) published or deployed; empty when nothing was published. */
  @func() digest = "";
  /** The report the prod approver reads: the digest, every prod stack's change-set diff, Gamma's steps, and the approval once given. */
  @func() approvalReport = "";
  /** The release report as Markdown, for a CI step summary (the same as markdown). */
  @func() summary = "";

  static from(run: PlanRun, imageDigest: string, reports: Directory, extra: { markdown?: string; reference?: string; approvalReport?: string } = {}): ReleaseResult {
    const markdown = extra.markdown ?? releaseMarkdown(run, imageDigest, extra.reference);
    return Object.assign(new ReleaseResult(), {
      env: run.target,
      verdict: run.verdict,
      failure: run.failure ?? "",
      imageDigest,
      stages: run.stages.map((s) => ReleaseStageResult.from(s)),
      reports,
      markdown,
      digest: extra.reference ?? "",
      approvalReport: extra.approvalReport ?? "",
      summary: markdown,
    });
  }
}

export { releaseJson };
