/**
 * The one gate every prod deploy passes before any change set: `dagger call deploy --env prod`,
 * the engine-free `dpra deploy`, and `release --env prod` all call `requireProdApproval`.
 * Gamma and preview runs need no approval. In a single-call release the approval is asked for only
 * after Gamma passed, and the record names that Gamma run.
 */
import type { ApprovalConfig } from "../../config/sections/verification.js";
import { ApprovalError, parseCiVars, resolveApproval, type ApprovalRecord } from "./approval.js";

/** What the caller passed for an approval (the --ci-vars, --ci-environment, --approved-by arguments). */
export interface ProdApprovalInput {
  /** CI variables as KEY=VALUE lines, e.g. `env | grep ^GITHUB_`. */
  ciVars?: string;
  ciEnvironment?: string;
  approvedBy?: string;
}

export interface ProdApprovalRequest {
  /** dpra.yaml `approval`. */
  config: ApprovalConfig;
  /** The environment being deployed: only `prod` needs an approval. */
  env: string;
  input: ProdApprovalInput;
  /** A preview creates change sets without executing them: no approval needed. */
  preview?: boolean;
  /**
   * The Gamma run that passed before this approval, e.g. `gamma run 20261207-0740 passed at ...`.
   * `required` says this is a single-call release, where Gamma must have passed first.
   */
  gamma?: { required: true; passedRun?: string } | { required: false; passedRun?: string };
  now?: Date;
}

/** The approval record for a prod deploy, undefined when none is needed; throws ApprovalError otherwise. */
export function requireProdApproval(req: ProdApprovalRequest): ApprovalRecord | undefined {
  if (req.env !== "prod" || req.preview) return undefined;
  if (req.gamma?.required && !req.gamma.passedRun) {
    throw new ApprovalError("prod approval is asked for only after Gamma passed in this run, and Gamma has not passed: nothing was deployed to prod.");
  }
  const approval = resolveApproval({
    ciVars: req.input.ciVars ? parseCiVars(req.input.ciVars) : {},
    ...(req.input.ciEnvironment ? { ciEnvironment: req.input.ciEnvironment } : {}),
    ...(req.input.approvedBy ? { approvedBy: req.input.approvedBy } : {}),
    requiredEnvironment: req.config.environment,
    allowedSources: req.config.sources,
    now: req.now ?? new Date(),
  });
  return req.gamma?.passedRun ? { ...approval, gammaRun: req.gamma.passedRun } : approval;
}
