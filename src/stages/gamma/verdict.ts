// Gamma's verdict on one image digest, recorded against the digest (as an OCI referrer, see
// src/release/gamma-verdict.ts) so that a later prod-only release can tell whether the digest passed
// Gamma. Pure: the record's schema, the record built from a Gamma result, and the promotion
// decision over the records read back. No Dagger or AWS types.
import { z } from "zod";
import { DIGEST } from "../../digest.js";
import type { StageAction } from "./actions.js";
import type { GammaResult } from "./stage.js";
import { errorMessage } from "../../errors.js";

/** The OCI artifact type of a verdict referrer, and the one file it carries. */
export const GAMMA_VERDICT_ARTIFACT_TYPE = "application/vnd.dpra.gamma-verdict.v1+json";
export const GAMMA_VERDICT_FILE = "gamma-verdict.json";

/** The Gamma checks a verdict names, from the stage's steps. */
export const VERDICT_CHECKS = ["db-deploy", "deploy", "verify-digest", "alarms", "canary", "capacity", "chaos"] as const;
export type VerdictCheckName = (typeof VERDICT_CHECKS)[number];

/** What every Gamma pass ran: the deploy, the digest check, the alarms (bake) and the canary. */
const MANDATORY_CHECKS: readonly VerdictCheckName[] = ["deploy", "verify-digest", "alarms", "canary"];

const STEP_TO_CHECK: Record<string, VerdictCheckName> = {
  "db deploy": "db-deploy",
  deploy: "deploy",
  "verify digest": "verify-digest",
  alarms: "alarms",
  "synthetic canary": "canary",
  "capacity test": "capacity",
  "chaos test": "chaos",
};

export const GammaVerdictRecord = z
  .object({
    schemaVersion: z.literal(1),
    /** The image digest the verdict is about (the referrer's subject). */
    subject: z.string().regex(DIGEST, "expected sha256:<64 hex digits>"),
    /** `<registry host>/<repository>` of the image. */
    repository: z.string().min(1),
    verdict: z.enum(["passed", "failed"]),
    runId: z.string().min(1),
    runUrl: z.url({ protocol: /^https$/ }).optional(),
    recordedAt: z.iso.datetime({ offset: true }),
    environment: z.object({ account: z.string().regex(/^\d{12}$/), region: z.string().min(1), stack: z.string().min(1) }).strict(),
    checks: z.array(z.object({ name: z.enum(VERDICT_CHECKS), status: z.enum(["passed", "failed", "skipped"]), detail: z.string().optional() }).strict()).min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.verdict !== "passed") return;
    // A pass needs every mandatory check passed and none failed; anything else is not a pass.
    r.checks.forEach((c, i) => {
      if (c.status === "failed") ctx.addIssue({ code: "custom", path: ["checks", i, "status"], message: `verdict "passed" with check ${c.name} failed` });
    });
    for (const name of MANDATORY_CHECKS) {
      if (!r.checks.some((c) => c.name === name && c.status === "passed"))
        ctx.addIssue({ code: "custom", path: ["checks"], message: `verdict "passed" without a passed ${name} check` });
    }
  });
export type GammaVerdictRecord = z.infer<typeof GammaVerdictRecord>;

export interface VerdictContext {
  /** `<registry host>/<repository>`. */
  repository: string;
  runId: string;
  runUrl?: string;
  recordedAt: Date;
  environment: { account: string; region: string; stack: string };
}

const DETAIL_MAX = 300;

/** The checks Gamma ran (and skipped), one per step; a warning counts as passed and keeps its detail. */
export function verdictChecks(actions: readonly StageAction[]): GammaVerdictRecord["checks"] {
  const checks: GammaVerdictRecord["checks"] = [];
  for (const a of actions) {
    const name = STEP_TO_CHECK[a.name];
    if (!name) continue;
    const status = a.status === "warning" ? "passed" : a.status;
    const first = a.detail.split("\n")[0]?.trim() ?? "";
    const detail = a.status === "warning" ? `warning: ${first}` : first;
    // A first-deploy DB deploy runs twice (deferred, then into the new stack): one check, the worse status.
    const earlier = checks.find((c) => c.name === name);
    if (earlier) {
      if (status === "failed" || earlier.status === "skipped") Object.assign(earlier, { status, ...(detail ? { detail: detail.slice(0, DETAIL_MAX) } : {}) });
      continue;
    }
    checks.push({ name, status, ...(detail ? { detail: detail.slice(0, DETAIL_MAX) } : {}) });
  }
  return checks;
}

/** The record of one Gamma run on a digest: passed only when the stage passed. */
export function verdictRecordOf(result: GammaResult, ctx: VerdictContext): GammaVerdictRecord {
  const checks = verdictChecks(result.actions);
  if (checks.length === 0) throw new Error(`Gamma recorded no check for ${result.digest}: there is no verdict to record`);
  return GammaVerdictRecord.parse({
    schemaVersion: 1,
    subject: result.digest,
    repository: ctx.repository,
    verdict: result.passed ? "passed" : "failed",
    runId: ctx.runId,
    ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    recordedAt: ctx.recordedAt.toISOString(),
    environment: ctx.environment,
    checks,
  });
}

/** The text of the gamma-verdict.json file attached for `record`. */
export function verdictFileText(record: GammaVerdictRecord): string {
  return JSON.stringify(GammaVerdictRecord.parse(record), null, 2) + "\n";
}

/** Parses one pulled verdict file; a malformed one throws naming `source` and the field. */
export function parseVerdictRecord(text: string, source: string): GammaVerdictRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${errorMessage(err)}); expected a ${GAMMA_VERDICT_FILE} written by dpra's Gamma stage.`, { cause: err });
  }
  const parsed = GammaVerdictRecord.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: field "${issue?.path.join(".") || "(root)"}": ${issue?.message ?? "unexpected shape"}; expected a Gamma verdict record, schemaVersion 1.`);
  }
  return parsed.data;
}

/** One verdict read back from the registry: where it came from (the referrer) and its file's text. */
export interface ReadVerdict {
  source: string;
  text: string;
}

export type PromotionDecision = { promotable: true; record: GammaVerdictRecord; summary: string } | { promotable: false; reason: string };

/**
 * Whether `digest` may go to prod, from the verdict records attached to it: the newest record (by
 * recordedAt) decides. None: refused, saying what to run (`howToRun`). Newest failed: refused,
 * naming the failed checks. A malformed record, or one about another digest, is refused too: it
 * cannot be ordered or trusted, and a record that cannot be read must not make a digest promotable.
 */
export function decidePromotion(digest: string, verdicts: readonly ReadVerdict[], howToRun: string): PromotionDecision {
  if (verdicts.length === 0) return { promotable: false, reason: `no Gamma pass record for ${digest}: run \`${howToRun}\` first` };
  const records: GammaVerdictRecord[] = [];
  for (const v of verdicts) {
    let record: GammaVerdictRecord;
    try {
      record = parseVerdictRecord(v.text, v.source);
    } catch (err) {
      return { promotable: false, reason: `a Gamma verdict record of ${digest} is malformed: ${errorMessage(err)}` };
    }
    if (record.subject !== digest) {
      return { promotable: false, reason: `${v.source}: field "subject" names ${record.subject}, but the record is attached to ${digest}; it cannot vouch for this digest` };
    }
    records.push(record);
  }
  const newest = records.reduce((a, b) => (Date.parse(b.recordedAt) > Date.parse(a.recordedAt) ? b : a));
  const run = `run ${newest.runId}${newest.runUrl ? ` (${newest.runUrl})` : ""}, ${newest.recordedAt}`;
  if (newest.verdict === "failed") {
    const failed = newest.checks.filter((c) => c.status === "failed").map((c) => `${c.name}${c.detail ? ` (${c.detail})` : ""}`);
    return {
      promotable: false,
      reason: `${digest} failed Gamma in ${run}: ${failed.join("; ") || "no check passed"}. It cannot be promoted; release a fixed image, or run \`${howToRun}\` again to record a newer pass`,
    };
  }
  const ran = newest.checks.filter((c) => c.status === "passed").map((c) => c.name);
  return { promotable: true, record: newest, summary: `${digest} passed Gamma in ${run} (${ran.join(", ")}; stack ${newest.environment.stack} in ${newest.environment.region})` };
}
