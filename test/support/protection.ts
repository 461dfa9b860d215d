// The stack protection the deployer tests run with: only the stateful-replacement guard on, so
// each test turns on what it is about.
import type { StackProtectionOptions } from "../../src/aws/cloudformation/deployer.js";

export const GUARD_ONLY_PROTECTION: StackProtectionOptions = {
  terminationProtection: false,
  stackPolicy: false,
  guardStatefulReplacement: true,
  statefulTypes: [],
  allowReplacement: [],
  detectDrift: false,
  continueUpdateRollback: false,
};
