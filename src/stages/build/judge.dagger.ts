// Turns action outcomes into a verdict: the policy gate over every finding set, the build's own
// failures, the reports directory (merged SARIF, Markdown, JSON, raw reports).
import { dag, type Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../../config/schema.js";
import { evaluateGate, type GatedFinding } from "../../policy/gate.js";
import { locationText } from "../../policy/order.js";
import { renderJson, renderMarkdown, renderSarif } from "../../policy/render.js";
import { loadBaseline } from "../../inputs/source.dagger.js";
import type { BuildActionOutcome } from "./outcome.dagger.js";
import { failureMessage, stageSummary, testCounts } from "./summary.js";

export interface StageVerdict {
  passed: boolean;
  summary: string;
  reports: Directory;
  /** Set when the stage did not pass: the message the build fails with. */
  failure?: string;
}

export async function judgeStage(title: string, outcomes: BuildActionOutcome[], source: Directory, config: DpraConfig): Promise<StageVerdict> {
  const sets = outcomes.flatMap((o) => o.sets);
  const failures = outcomes.flatMap((o) => o.failures);
  const gate = evaluateGate(sets, config.policy, { today: new Date(), baseline: await loadBaseline(source, config) });
  const passed = gate.passed && failures.length === 0;
  const summary = stageSummary({ title, passed, outcomes, tests: testCounts(sets), optOuts: config.tests.optOut, gateMarkdown: renderMarkdown(gate) });
  let reports = dag.directory().withNewFile("summary.md", summary).withNewFile("findings.json", renderJson(gate)).withNewFile("findings.sarif", renderSarif(gate));
  for (const { name, file } of outcomes.flatMap((o) => o.files)) {
    reports = reports.withFile(name.endsWith(".cdx.json") ? name : `raw/${name}`, file);
  }
  const blocking = gate.blocking.map(describeBlocking);
  return { passed, summary, reports, failure: passed ? undefined : failureMessage(title, gate.verdict, blocking, failures) };
}

function describeBlocking(g: GatedFinding): string {
  return `[${g.finding.category} ${g.finding.severity}] ${g.finding.rule} at ${locationText(g)} (${g.finding.tool}): ${g.reason}`;
}
