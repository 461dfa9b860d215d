import type { Category, FindingSet, ToolName } from "./model.js";
import { fingerprintOf, firstLine } from "./normalize.js";

/** Rule of the finding that stands for a scan that did not happen. */
export const TOOL_FAILED_RULE = "dpra/tool-failed";

/**
 * The finding set of a tool that failed before it could report (it crashed, exited with an error
 * code that means "did not scan", or wrote an unreadable report). A scan that did not run must not
 * pass silently: the set holds one critical finding in the tool's category, so it blocks under any
 * threshold but `never`, and it can be allowlisted (with reason and expiry) like any other finding.
 */
export function toolFailureSet(tool: ToolName, category: Category, detail: string): FindingSet {
  const message = `${tool} did not complete its scan: ${firstLine(detail, 500) || "no detail"}`;
  return {
    tool,
    format: "tool-failure",
    findings: [
      {
        tool,
        category,
        rule: TOOL_FAILED_RULE,
        severity: "critical",
        message,
        location: {},
        fingerprint: fingerprintOf(TOOL_FAILED_RULE, tool, category),
        title: "The tool failed before it could report",
      },
    ],
    toolErrors: [message],
  };
}
