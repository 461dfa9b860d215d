import type { CapacityResult } from "../../actions/capacity-tests/run.js";
import { reportLine, type DbDeployReport } from "../../actions/db-deploy/report.js";
import type { ChaosReport } from "../../actions/chaos-tests/experiment.js";
import { describeRun, type CanaryReport } from "../../aws/synthetics/canary.js";
import type { StackDeployment } from "../../actions/progressive-deployment/engine.js";
import { noAlarmsRule } from "../../actions/monitoring/alarm-set.js";
import { judgeAlarms } from "../../actions/monitoring/judge.js";
import { ActionLog, type StageAction, type StepAction } from "../aws-environment/steps.js";
import { expectedAlarms, summariseWatch, type WatchSummary } from "../../actions/monitoring/watch-summary.js";
import { endpointFromOutputs, verifyDeployedDigest } from "../../cloudformation/stack-facts.js";
import { errorMessage } from "../../errors.js";

/** What the wave engine reports for the Gamma stack (the deploy and the bake). */
export type { StackDeployment } from "../../actions/progressive-deployment/engine.js";

/** Called by the deploy port once the stack is up, before the bake watches it. */
export interface DeployHooks {
  beforeBake?(deployment: StackDeployment): Promise<void>;
}

/**
 * The DB deploy of the environment's region (src/actions/db-deploy). `beforeDeploy` migrates into the existing stack (the
 * software deploy follows) or reports `deferred` when there is no stack yet; `afterCreate` then
 * migrates into the stack the software deploy created.
 */
export interface DbDeployPort {
  beforeDeploy(digest: string): Promise<DbDeployReport>;
  afterCreate(deployment: StackDeployment): Promise<DbDeployReport>;
}

/**
 * The Gamma stage's collaborators, injected so that the stage itself needs no engine and no AWS:
 * src/stages/gamma/provider.dagger.ts passes the CloudFormation deployer (with the alarm bake), the DB deploy,
 * the Synthetics canary, k6 and FIS; tests pass fakes.
 */
export interface GammaPorts {
  deploy(digest: string, hooks?: DeployHooks): Promise<StackDeployment>;
  /** Present when the app has a database. */
  dbDeploy?: DbDeployPort;
  canary(endpoint: string, deployment: StackDeployment): Promise<CanaryReport>;
  capacity?(endpoint: string): Promise<CapacityResult>;
  chaos?(endpoint: string, experimentTemplateId: string): Promise<ChaosReport>;
  now(): Date;
}

export interface GammaSettings {
  digest: string;
  /** Stack output holding the endpoint under test. */
  endpointOutput: string;
  /** Stack parameter holding the image URI (`repo@sha256:...`). */
  imageParameter: string;
  /** Alarms from dpra.yaml, watched next to those the stack outputs. */
  configuredAlarms: readonly string[];
  /** dpra.yaml's opt-out of the "no alarms" rule (for Gamma a warning either way, with the reason). */
  allowNoAlarms?: { reason: string };
  bakeMinutes: number;
  /** Chaos test: template ID, or the stack output that holds it. Absent: no chaos test. */
  chaos?: { experimentTemplateId?: string; experimentTemplateOutput?: string };
}

export interface GammaResult {
  passed: boolean;
  digest: string;
  endpoint?: string;
  deployment?: StackDeployment;
  monitoring: WatchSummary[];
  canary?: CanaryReport;
  capacity?: CapacityResult;
  chaos?: ChaosReport;
  actions: StageAction[];
}

/**
 * Gamma: deploy the digest through IaC, check the deployed digest and the alarms, run the synthetic
 * canary, then (when configured) the capacity and chaos tests. The first failure stops the stage;
 * later actions are recorded as skipped.
 */
export async function runGammaStage(ports: GammaPorts, s: GammaSettings): Promise<GammaResult> {
  const log = new ActionLog("gamma", ports.now);
  const result: GammaResult = { passed: false, digest: s.digest, monitoring: [], actions: log.actions };
  // The steps in order, each with the DPRA action it belongs to.
  const later: Array<readonly [StepAction<"gamma">, string]> = [
    ...(ports.dbDeploy ? [["db-deploy", "db deploy"] as const] : []),
    ["deploy-software", "deploy"],
    ["deploy-software", "verify digest"],
    ["monitoring", "alarms"],
    ["synthetic-tests", "synthetic canary"],
    ...(ports.capacity ? [["capacity-tests", "capacity test"] as const] : []),
    ...(s.chaos && ports.chaos ? [["chaos-tests", "chaos test"] as const] : []),
  ];
  const skipAfter = (step: string, why: string) => {
    for (const [action, name] of later.slice(later.findIndex(([, n]) => n === step) + 1)) log.skip(action, name, why);
  };

  const hooks: DeployHooks = {};
  if (ports.dbDeploy) {
    const db = ports.dbDeploy;
    const judge = (r: DbDeployReport) => ({ status: "passed" as const, detail: reportLine(r) });
    const before = await log.run("db-deploy", "db deploy", () => db.beforeDeploy(s.digest), judge);
    if (!before.ok || !before.value) {
      skipAfter("db deploy", "the DB deploy failed: the software was not deployed");
      return result;
    }
    if (before.value.status === "deferred") {
      // First deploy: migrate as soon as the stack exists, before the bake and every test.
      hooks.beforeBake = async (d) => {
        const after = await log.run("db-deploy", "db deploy", () => db.afterCreate(d), judge, d.region);
        if (!after.ok) throw new Error(`the DB deploy into the new stack failed: ${errorMessage(after.error)}`);
      };
    }
  }

  const deployed = await log.run(
    "deploy-software",
    "deploy",
    () => ports.deploy(s.digest, hooks),
    (d) => ({ status: "passed", detail: `stack ${d.stackName} in ${d.region}` }),
  );
  if (!deployed.ok || !deployed.value) {
    skipAfter("deploy", "the Gamma deploy failed");
    return result;
  }
  const d = deployed.value;
  result.deployment = d;
  const where = { stack: d.stackName, region: d.region };

  const digestOk = await log.run(
    "deploy-software",
    "verify digest",
    async () => verifyDeployedDigest(d.parameters, s.digest, where, s.imageParameter),
    (uri) => ({ status: "passed", detail: `${s.imageParameter}=${uri}` }),
    d.region,
  );
  if (!digestOk.ok) {
    skipAfter("verify digest", "the deployed digest does not match");
    return result;
  }

  const expected = expectedAlarms(d.outputs, s.configuredAlarms);
  const alarmsOk = await log.run(
    "monitoring",
    "alarms",
    async () => d.watches.map((w) => summariseWatch(expected, w, s.bakeMinutes * 60_000)),
    (summaries) => {
      result.monitoring = summaries;
      // The wave engine's judgement, reported as Gamma's monitoring step.
      const j = judgeAlarms(expected, summaries, noAlarmsRule("gamma", s.allowNoAlarms));
      return { status: j.status, detail: j.detail };
    },
    d.region,
  );
  if (!alarmsOk.ok) {
    skipAfter("alarms", "alarms are missing or breached");
    return result;
  }

  const canary = await log.run(
    "synthetic-tests",
    "synthetic canary",
    () => {
      result.endpoint = endpointFromOutputs(d.outputs, s.endpointOutput, d.stackName);
      return ports.canary(result.endpoint, d);
    },
    (r) => ({ status: r.passed ? "passed" : "failed", detail: `${r.name} (${r.runtimeVersion}, ${r.action}): ${describeRun(r.run)}` }),
    d.region,
  );
  result.canary = canary.value;
  if (!canary.ok) {
    skipAfter("synthetic canary", result.endpoint ? "the synthetic canary failed" : "no endpoint to test");
    return result;
  }
  const endpoint = result.endpoint as string;

  if (ports.capacity) {
    const capacity = ports.capacity;
    const cap = await log.run(
      "capacity-tests",
      "capacity test",
      () => capacity(endpoint),
      (r) => ({ status: r.verdict.passed ? "passed" : "failed", detail: r.report }),
      d.region,
    );
    result.capacity = cap.value;
    if (!cap.ok) {
      skipAfter("capacity test", "the capacity test failed");
      return result;
    }
  }

  if (s.chaos && ports.chaos) {
    const chaos = ports.chaos;
    const templateId = s.chaos.experimentTemplateId ?? (s.chaos.experimentTemplateOutput ? d.outputs[s.chaos.experimentTemplateOutput] : undefined);
    if (!templateId) {
      log.record({
        modelAction: "chaos-tests",
        name: "chaos test",
        status: "failed",
        detail: `no FIS experiment template: set chaos.experimentTemplateId, or output "${s.chaos.experimentTemplateOutput ?? "?"}" from stack ${d.stackName}`,
        region: d.region,
      });
      return result;
    }
    const ch = await log.run(
      "chaos-tests",
      "chaos test",
      () => chaos(endpoint, templateId),
      (r) => ({
        status: r.passed ? "passed" : "failed",
        detail: `experiment ${r.experimentId} (${r.experimentStatus}, stopped: ${r.stopped.requested ? "yes" : "no"})\n${r.checks.map((c) => `${c.passed ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`).join("\n")}`,
      }),
      d.region,
    );
    result.chaos = ch.value;
    if (!ch.ok) return result;
  }

  result.passed = true;
  return result;
}
