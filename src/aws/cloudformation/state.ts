import type { Stack } from "@aws-sdk/client-cloudformation";
import { UPDATABLE } from "./stack.js";

/** What the deployer must do with a stack before it can create a change set. */
export type StackPlan =
  | { kind: "create" }
  | { kind: "update" }
  /** Delete the empty or never-created stack, then create it. */
  | { kind: "recreate"; reason: string }
  /** ContinueUpdateRollback, wait for UPDATE_ROLLBACK_COMPLETE, then update. */
  | { kind: "continue-rollback" }
  /** Another operation is running: wait (bounded), then classify again. */
  | { kind: "wait"; status: string }
  /** A human must act; `message` says what. */
  | { kind: "stop"; status: string; message: string };

export interface ClassifyInput {
  stack: Stack | undefined;
  /** Live resources in the stack; only asked for CREATE_FAILED. */
  resourceCount?: number;
  allowContinueUpdateRollback: boolean;
}

/** Classifies a stack's status into the deployer's next step. Pure, so every branch is tested. */
export function classifyStack({ stack, resourceCount, allowContinueUpdateRollback }: ClassifyInput): StackPlan {
  if (!stack) return { kind: "create" };
  const status = stack.StackStatus ?? "UNKNOWN";
  const name = stack.StackName ?? "the stack";
  if (UPDATABLE.has(status)) return { kind: "update" };
  switch (status) {
    case "REVIEW_IN_PROGRESS":
      return { kind: "recreate", reason: `${name} is in REVIEW_IN_PROGRESS: it was never created (a change set was made but not executed)` };
    case "ROLLBACK_COMPLETE":
      return { kind: "recreate", reason: `${name} is in ROLLBACK_COMPLETE: its first creation failed and it can only be deleted` };
    case "CREATE_FAILED":
      if (resourceCount === 0) return { kind: "recreate", reason: `${name} is in CREATE_FAILED with no resources` };
      return {
        kind: "stop",
        status,
        message:
          `${name} is in CREATE_FAILED and still holds ${resourceCount ?? "some"} resource(s). ` +
          "Inspect them, then run `aws cloudformation rollback-stack` (or delete the stack) and deploy again.",
      };
    case "UPDATE_ROLLBACK_FAILED":
      if (allowContinueUpdateRollback) return { kind: "continue-rollback" };
      return {
        kind: "stop",
        status,
        message:
          `${name} is in UPDATE_ROLLBACK_FAILED. Fix the resource that failed to roll back (see the stack events), ` +
          "then run `aws cloudformation continue-update-rollback` (with --resources-to-skip if needed), " +
          "or set `protection.continueUpdateRollback: true` to let the deployer do it.",
      };
    case "UPDATE_FAILED":
      return {
        kind: "stop",
        status,
        message: `${name} is in UPDATE_FAILED (rollback was disabled). Run \`aws cloudformation rollback-stack\` and deploy again.`,
      };
    case "ROLLBACK_FAILED":
      return {
        kind: "stop",
        status,
        message:
          `${name} is in ROLLBACK_FAILED: a resource could not be deleted during rollback. ` +
          "Remove or fix the resource named in the stack events, then delete the stack " +
          "(`aws cloudformation delete-stack --retain-resources <LogicalId>` if it cannot be deleted) and deploy again.",
      };
    case "DELETE_FAILED":
      return {
        kind: "stop",
        status,
        message:
          `${name} is in DELETE_FAILED. Delete or fix the resources named in the stack events, then ` +
          "`aws cloudformation delete-stack` again (with --retain-resources for those to keep) and deploy again.",
      };
    case "IMPORT_ROLLBACK_FAILED":
      return {
        kind: "stop",
        status,
        message: `${name} is in IMPORT_ROLLBACK_FAILED. Fix the imported resources named in the stack events, then deploy again.`,
      };
  }
  if (status.endsWith("_IN_PROGRESS")) return { kind: "wait", status };
  return { kind: "stop", status, message: `${name} is in ${status}, which the deployer does not handle. Inspect it in the console.` };
}
