// cfn-lint's command line and which files it checks, without a Dagger import: the IaC recipe
// (iac.ts) and `dpra scan` both call these, with container or host paths.

export const CFN_LINT_REPORT = "/reports/cfn-lint.json";

const TEMPLATE_EXTENSIONS = [".yaml", ".yml", ".json", ".template"];
const CFN_MARKER = /AWSTemplateFormatVersion|\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]+/;

/** Whether a file name may hold a CloudFormation template (checked before reading it). */
export function hasTemplateExtension(file: string): boolean {
  return TEMPLATE_EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext));
}

/** Whether a YAML/JSON file's text declares a CloudFormation template (a version or an AWS resource type). */
export function isCfnTemplate(text: string): boolean {
  return CFN_MARKER.test(text);
}

/**
 * cfn-lint over the templates (paths relative to the source, the working directory), as JSON: that
 * format needs no optional dependency (SARIF output needs cfn-lint[sarif]).
 */
export function cfnLintArgs(templates: readonly string[], report: string = CFN_LINT_REPORT): string[] {
  return ["cfn-lint", "--format", "json", "--output-file", report, "--", ...templates];
}
