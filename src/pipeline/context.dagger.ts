// The context a Dagger release passes from stage to stage: the stage contract's context
// (src/pipeline/stage.ts) with the source, config, AWS access, reports and the stages' hand-offs.
import { randomBytes } from "node:crypto";
import type { Container, Directory } from "@dagger.io/dagger";
import type { ApprovalRecord } from "../actions/approval/approval.js";
import type { DpraConfig } from "../config/schema.js";
import type { RunIdentity } from "../aws/credentials/run-identity.js";
import type { AwsWorld } from "./aws-world.js";
import type { ReleaseContext } from "./stage.js";
import { ReportSink } from "./reports.dagger.js";

/** What the AWS stages (Gamma, Prod) and publishing need: credentials, clients, the image reference. */
export interface ReleaseAws {
  world: AwsWorld;
  /** The caller's credentials, read once; roles are chained per environment from it. */
  identity(): Promise<RunIdentity>;
  /** The digest-pinned reference the AWS stages deploy: given with --digest, or published once after Beta. */
  reference(): Promise<string>;
}

/** What the prod approval is resolved from (the release's --ci-vars, --ci-environment, --approved-by). */
export interface ApprovalInput {
  ciVars?: string;
  ciEnvironment?: string;
  approvedBy?: string;
}

/** What this run's Gamma hands on to Prod. */
export interface GammaHandOff {
  passed: boolean;
  /** The digest Gamma deployed. */
  digest: string;
  /** The digest Prod may deploy: the one Gamma deployed and verified; throws, saying why, when Gamma did not pass. */
  digestForProd(): string;
  /** Gamma's steps as Markdown, for the approval report. */
  summary: string;
}

export interface DaggerReleaseContext extends ReleaseContext<Container> {
  config: DpraConfig;
  source: Directory;
  /** Unique per run: names secrets and keeps side-effecting steps out of the cache. */
  runId: string;
  reports: ReportSink;
  aws?: ReleaseAws;
  approvalInput?: ApprovalInput;
  /** The reference published or given, once known. */
  reference?: string;
  gamma?: GammaHandOff;
  /** A prod-only release's check of the digest's Gamma verdict records (read once, before the approval). */
  gammaPass?: Promise<string>;
  approval?: ApprovalRecord;
  /** The report the prod approver reads (written in Gamma, completed with the approval in Prod). */
  approvalReport?: string;
  /** Extra Markdown sections for the release report (stage details). */
  details: string[];
}

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

export function releaseContext(config: DpraConfig, source: Directory, build?: ReleaseContext<Container>["build"], runId?: string): DaggerReleaseContext {
  return { config, source, runId: runId ?? newRunId(), reports: new ReportSink(), details: [], ...(build ? { build } : {}) };
}
