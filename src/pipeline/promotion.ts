// The promotion record between Gamma and Prod: Gamma's verdict on one image digest, attached to the
// digest (an OCI referrer, src/stages/gamma/verdict-store.dagger.ts), and the decision a later
// prod-only release takes over the records read back. Pure: the record's schema, its file, the
// decision and the store's interface. Gamma builds the record (src/stages/gamma/verdict.ts).
import { z } from "zod";
import { DIGEST } from "../digest.js";
import { errorMessage } from "../errors.js";
import type { ReferrerOutcome } from "../publish/referrers.dagger.js";

/** The OCI artifact type of a verdict referrer, and the one file it carries. */
export const GAMMA_VERDICT_ARTIFACT_TYPE = "application/vnd.dpra.gamma-verdict.v1+json";
export const GAMMA_VERDICT_FILE = "gamma-verdict.json";

/** The Gamma checks a verdict names, from the stage's steps. */
export const VERDICT_CHECKS = ["db-deploy", "deploy", "verify-digest", "alarms", "canary", "capacity", "chaos"] as const;
export type VerdictCheckName = (typeof VERDICT_CHECKS)[number];

/** What every Gamma pass ran: the deploy, the digest check, the alarms (bake) and the canary. */
const MANDATORY_CHECKS: readonly VerdictCheckName[] = ["deploy", "verify-digest", "alarms", "canary"];

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

/** Where Gamma verdicts live: attached to a digest, and read back from it. */
export interface VerdictStore {
  /** Attaches the record to `subject` (`<host>/<repository>@sha256:...`); the outcome says whether the registry lists it. */
  attach(subject: string, record: GammaVerdictRecord): Promise<ReferrerOutcome>;
  /** Every verdict file attached to `subject`. Throws when the registry cannot be read. */
  read(subject: string): Promise<ReadVerdict[]>;
}
