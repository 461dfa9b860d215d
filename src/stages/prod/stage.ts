import { reportLine, type DbDeployReport } from "../../actions/db-deploy/report.js";
import type { RegionDbDeployPort } from "../../actions/db-deploy/environment.js";
import { approvalReport, resolveApproval, type ApprovalRecord, type ApprovalRequest, type ChangeSetPreview } from "../../actions/approval/approval.js";
import { describeRun, type CanaryReport } from "../../aws/synthetics/canary.js";
import { runRollout, type RolloutDecisions, type WaveHooks, type WavePort } from "../../actions/progressive-deployment/engine.js";
import { waveLabel, type Wave } from "../../actions/progressive-deployment/waves.js";
import type { RollbackScope } from "../../config/sections/environments.js";
import { ActionLog, type StageAction } from "../aws-environment/steps.js";
import type { WatchSummary } from "../../actions/monitoring/watch-summary.js";
import { endpointFromOutputs, verifyDeployedDigest } from "../../cloudformation/stack-facts.js";
import { strategyPlan, type DeploymentStrategy } from "./strategy.js";
import { errorMessage } from "../../errors.js";

/** A prod wave: the wave engine's (src/actions/progressive-deployment/waves.ts). */
export type ProdWave = Wave;

/** The wave engine's CloudFormation port (src/actions/progressive-deployment/cfn-waves.ts; tests inject fakes). */
export type WaveDeployer = WavePort;

export interface ProdPorts {
  waves: WaveDeployer;
  /** Present when the app has a database: runs before each wave's software deploy, per region. */
  dbDeploy?: RegionDbDeployPort;
  /** Prod synthetic test in one region, after its wave. */
  canary(region: string, endpoint: string): Promise<CanaryReport>;
  /**
   * The prod role's sessions in a wave's regions (absent with long-lived keys): renewed before each
   * wave, and before a bake the remaining session would not outlast, so a rollout of any length
   * keeps valid credentials (a chained role session lasts at most an hour).
   */
  sessions?: ProdSessions;
  now(): Date;
}

export interface ProdSessions {
  renew(regions: readonly string[]): Promise<void>;
  ensureValidFor(regions: readonly string[], waitMs: number): Promise<void>;
}

export interface ProdSettings {
  /** The approval: required by type, so prod cannot run without one (see `approveAndRunProd`). */
  approval: ApprovalRecord;
  /** The digest Gamma deployed (read from the Gamma stack's parameters). */
  digest: string;
  waves: ProdWave[];
  strategy: DeploymentStrategy;
  endpointOutput: string;
  imageParameter: string;
  configuredAlarms: readonly string[];
  /** The template's alarm outputs (see declaredAlarmOutputs); absent when not known before the deploy. */
  declaredAlarmOutputs?: readonly string[];
  /** dpra.yaml's opt-out of the "no alarms" rule, with its reason. */
  allowNoAlarms?: { reason: string };
  /** What a stopped rollout rolls back (default: all-deployed). */
  rollbackScope?: RollbackScope;
}

export interface ProdResult {
  passed: boolean;
  digest: string;
  strategy: ReturnType<typeof strategyPlan>;
  deployedRegions: string[];
  rolledBack: string[];
  monitoring: WatchSummary[];
  canaries: CanaryReport[];
  actions: StageAction[];
  /** The wave engine's decisions (waves, alarms checked, rollback scope, verdict). */
  decisions?: RolloutDecisions;
}

/**
 * Prod: the wave engine's rollout of the Gamma digest with Prod's own steps around each wave: the
 * role session and the DB deploy before it, the digest check after it, the prod canaries after the
 * bake. Any failure stops the rollout and rolls back what `rollbackScope` says (default: every region
 * this release changed, the failing wave first).
 */
export async function runProdStage(ports: ProdPorts, s: ProdSettings): Promise<ProdResult> {
  const log = new ActionLog("prod", ports.now);
  const result: ProdResult = {
    passed: false,
    digest: s.digest,
    strategy: strategyPlan(s.strategy),
    deployedRegions: [],
    rolledBack: [],
    monitoring: [],
    canaries: [],
    actions: log.actions,
  };
  log.record({
    modelAction: "approval",
    name: "approval",
    status: "passed",
    detail: `${s.approval.approver} (${s.approval.source}${s.approval.runUrl ? `, ${s.approval.runUrl}` : ""})`,
  });
  log.record({
    modelAction: "progressive-deployment",
    name: "strategy",
    status: "passed",
    detail: `${result.strategy.trafficShift}; during the shift: ${result.strategy.selfRollback}`,
  });

  const deferred = new Map<string, string[]>();
  const hooks: WaveHooks = {
    beforeDeploy: async (wave) => {
      const label = waveLabel(wave);
      if (ports.sessions) {
        const sessions = ports.sessions;
        const renewed = await log.run(
          "progressive-deployment",
          `${label}: credentials`,
          () => sessions.renew(wave.regions),
          () => ({ status: "passed", detail: `new prod role session in ${wave.regions.join(", ")}` }),
        );
        if (!renewed.ok) return `the prod role could not be assumed for ${label}`;
      }
      if (ports.dbDeploy) {
        const db = ports.dbDeploy;
        const migrated = await log.run("db-deploy", `${label}: db deploy`, () => allRegions(wave.regions, (r) => db.beforeDeploy(r, s.digest)), judgeDb);
        if (!migrated.ok || !migrated.value) return `the DB deploy of ${label} failed`;
        const reports = migrated.value;
        deferred.set(
          wave.name,
          wave.regions.filter((_, i) => reports[i]?.status === "deferred"),
        );
      }
      return undefined;
    },
    afterDeploy: async (wave, deployments) => {
      const label = waveLabel(wave);
      const firstDeploys = deferred.get(wave.name) ?? [];
      if (ports.dbDeploy && firstDeploys.length > 0) {
        // First deploy of these regions: migrate as soon as their stacks exist, before the bake and the canaries.
        const db = ports.dbDeploy;
        const migrated = await log.run(
          "db-deploy",
          `${label}: db deploy`,
          () =>
            allRegions(firstDeploys, (r) => {
              if (!deployments.some((x) => x.region === r)) throw new Error(`no deployment reported for ${r}`);
              return db.afterCreate(r);
            }),
          judgeDb,
        );
        if (!migrated.ok) return `the DB deploy into the new stacks of ${label} failed`;
      }
      for (const d of deployments) {
        const ok = await log.run(
          "progressive-deployment",
          "verify digest",
          async () => verifyDeployedDigest(d.parameters, s.digest, { stack: d.stackName, region: d.region }, s.imageParameter),
          (uri) => ({ status: "passed", detail: `${s.imageParameter}=${uri}` }),
          d.region,
        );
        if (!ok.ok) return `digest mismatch in ${d.region}`;
      }
      return undefined;
    },
    // The bake makes calls all along (the alarm watch); a session that ends during it is renewed first.
    beforeBake: async (wave, bakeMs) => ports.sessions?.ensureValidFor(wave.regions, bakeMs),
    afterBake: async (wave, deployments) => {
      const canaries = await Promise.all(
        deployments.map((d) =>
          log.run(
            "synthetic-tests",
            "prod synthetic test",
            () => ports.canary(d.region, endpointFromOutputs(d.outputs, s.endpointOutput, d.stackName)),
            (r) => ({ status: r.passed ? "passed" : "failed", detail: `${r.name}: ${describeRun(r.run)}` }),
            d.region,
          ),
        ),
      );
      result.canaries.push(...canaries.flatMap((c) => (c.value ? [c.value] : [])));
      return canaries.some((c) => !c.ok) ? `prod synthetic test failed after ${waveLabel(wave)}` : undefined;
    },
  };

  const rollout = await runRollout(
    ports.waves,
    {
      envName: "prod",
      digest: s.digest,
      waves: s.waves,
      configuredAlarms: s.configuredAlarms,
      ...(s.declaredAlarmOutputs ? { declaredAlarmOutputs: s.declaredAlarmOutputs } : {}),
      ...(s.allowNoAlarms ? { allowNoAlarms: s.allowNoAlarms } : {}),
      rollbackScope: s.rollbackScope ?? "all-deployed",
    },
    log,
    { deploy: "progressive-deployment", alarms: "progressive-deployment", rollback: "progressive-deployment" },
    hooks,
  );
  result.decisions = rollout.decisions;
  result.deployedRegions = rollout.changed;
  result.rolledBack = rollout.decisions.rolledBack;
  result.monitoring = rollout.monitoring;
  result.passed = rollout.decisions.verdict === "succeeded" || rollout.decisions.verdict === "no-change";
  return result;
}

function judgeDb(reports: DbDeployReport[]): { status: "passed"; detail: string } {
  return { status: "passed", detail: reports.map(reportLine).join("\n") };
}

/** Runs `step` in every region concurrently; waits for all, then fails naming every region that failed. */
async function allRegions<T>(regions: readonly string[], step: (region: string) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(regions.map((r) => step(r)));
  const failed = settled.flatMap((o, i) => (o.status === "rejected" ? [`${regions[i]}: ${errorMessage(o.reason)}`] : []));
  if (failed.length > 0) throw new Error(failed.join("\n"));
  return settled.map((o) => (o as PromiseFulfilledResult<T>).value);
}

/**
 * Approval, then prod. Without an approval this throws an ApprovalError before the wave deployer is
 * touched. The approval report (digest, change-set diffs, approval record) is returned for the release summary.
 */
export async function approveAndRunProd(
  request: ApprovalRequest,
  changeSets: readonly ChangeSetPreview[],
  ports: ProdPorts,
  settings: Omit<ProdSettings, "approval">,
): Promise<{ approvalReport: string; prod: ProdResult }> {
  const approval = resolveApproval(request);
  const report = approvalReport({ digest: settings.digest, changeSets, approval });
  return { approvalReport: report, prod: await runProdStage(ports, { ...settings, approval }) };
}
