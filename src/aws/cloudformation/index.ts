/** The single-stack CloudFormation deployer: change sets, diff, events, root cause, protection, rollback. */
export { deployStack, type StackDeployRequest, type StackDeployResult, type StackOutcome, type StackProtectionOptions } from "./deployer.js";
export { rollbackStack, captureSnapshot, type RollbackRequest, type RollbackResult, type StackSnapshot } from "./rollback.js";
export { describeChangeSetDiff, formatDiff, summarizeDiff, type ChangeSetDiff, type ResourceChangeView } from "./diff.js";
export { findRootCause, formatRootCause, type RootCause } from "./events.js";
export { classifyStack, type StackPlan } from "./state.js";
export { EMPTY_CHANGE_SET_REASONS, isEmptyChangeSetReason, changeSetName } from "./changeset.js";
export { STATEFUL_TYPES } from "./protection.js";
export type { StackOutputView } from "./outputs.js";
