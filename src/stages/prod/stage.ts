import { reportLine, type DbDeployReport } from "../../actions/db-deploy/report.js";
import type { RegionDbDeployPort } from "../../actions/db-deploy/environment.js";
import { approvalReport, resolveApproval, type ApprovalRecord, type ApprovalRequest, type ChangeSetPreview } from "../../approval/approval.js";
import { describeRun, type CanaryReport } from "../../aws/synthetics/canary.js";
import { ActionLog, type StageAction } from "../gamma/actions.js";
import { expectedAlarms, summariseWatch, type ExpectedAlarm, type WatchObservations, type WatchSummary } from "../gamma/monitoring.js";
import type { StackDeployment } from "../gamma/stage.js";
import { endpointFromOutputs, verifyDeployedDigest } from "../../cloudformation/stack-facts.js";
import { strategyPlan, type DeploymentStrategy } from "./strategy.js";
import { errorMessage } from "../../errors.js";

export interface ProdWave {
  name: string;
  regions: string[];
  bakeMinutes: number;
}

/**
 * The wave orchestration of the CloudFormation deployer, injected. `deployWave` deploys every region of
 * the wave (traffic shifting happens inside the stack update, per the template's strategy) while its
 * alarm watcher records `watches`; `bakeWave` watches the alarms after it and resolves early on a breach.
 */
export interface WaveDeployer {
  deployWave(wave: ProdWave, digest: string): Promise<StackDeployment[]>;
  bakeWave(wave: ProdWave, alarmsByRegion: Record<string, string[]>, bakeMs: number): Promise<WatchObservations[]>;
  /** Rolls the regions back to what they ran before this release, in the given order. */
  rollback(regions: string[], reason: string): Promise<void>;
}

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
}

/**
 * Prod: wave after wave, deploy the Gamma digest, verify it in every stack, watch alarms during the
 * traffic shift and the bake, run the prod canary in every region; any failure stops the rollout and
 * rolls back every region this release touched, the failing wave first.
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
  log.record({ modelAction: "approval", name: "approval", status: "passed", detail: `${s.approval.approver} (${s.approval.source}${s.approval.runUrl ? `, ${s.approval.runUrl}` : ""})` });
  log.record({ modelAction: "progressive-deployment", name: "strategy", status: "passed", detail: `${result.strategy.trafficShift}; during the shift: ${result.strategy.selfRollback}` });

  const stop = async (wave: ProdWave, why: string): Promise<ProdResult> => {
    const later = s.waves.slice(s.waves.indexOf(wave) + 1);
    for (const w of later) log.skip("progressive-deployment", `wave ${w.name}`, `not started: ${why}`);
    // Every region this release touched, the failing wave's first.
    const regions = [...result.deployedRegions].reverse();
    if (regions.length > 0) {
      const startedAt = ports.now().toISOString();
      try {
        await ports.waves.rollback(regions, why);
        result.rolledBack = regions;
        log.record({ modelAction: "progressive-deployment", name: "rollback", status: "passed", detail: `rolled back ${regions.join(", ")}: ${why}`, startedAt, endedAt: ports.now().toISOString() });
      } catch (e) {
        const detail = `ROLLBACK FAILED (${errorMessage(e)}): check ${regions.join(", ")} by hand`;
        log.record({ modelAction: "progressive-deployment", name: "rollback", status: "failed", detail, startedAt, endedAt: ports.now().toISOString() });
      }
    }
    return result;
  };

  for (const wave of s.waves) {
    const bakeMs = wave.bakeMinutes * 60_000;
    if (ports.sessions) {
      const sessions = ports.sessions;
      const renewed = await log.run("progressive-deployment", `wave ${wave.name}: credentials`, () => sessions.renew(wave.regions), () => ({ status: "passed", detail: `new prod role session in ${wave.regions.join(", ")}` }));
      if (!renewed.ok) return stop(wave, `the prod role could not be assumed for wave ${wave.name}`);
    }
    let deferred: string[] = [];
    if (ports.dbDeploy) {
      const db = ports.dbDeploy;
      const migrated = await log.run("db-deploy", `wave ${wave.name}: db deploy`, () => allRegions(wave.regions, (r) => db.beforeDeploy(r, s.digest)), judgeDb);
      if (!migrated.ok || !migrated.value) return stop(wave, `the DB deploy of wave ${wave.name} failed`);
      // The reports come in the order of the wave's regions.
      const reports = migrated.value;
      deferred = wave.regions.filter((_, i) => reports[i]?.status === "deferred");
    }
    const deployed = await log.run(
      "progressive-deployment",
      `wave ${wave.name}: deploy`,
      () => ports.waves.deployWave(wave, s.digest),
      (ds) => ({ status: "passed", detail: ds.map((d) => `${d.stackName} in ${d.region}`).join(", ") }),
    );
    if (!deployed.ok || !deployed.value) {
      // Which regions of the wave changed is unknown: roll them all back (a no-op where nothing changed).
      result.deployedRegions.push(...wave.regions);
      return stop(wave, `wave ${wave.name} deploy failed`);
    }
    result.deployedRegions.push(...deployed.value.map((d) => d.region));
    const deployments = deployed.value;
    if (ports.dbDeploy && deferred.length > 0) {
      // First deploy of these regions: migrate as soon as their stacks exist, before the bake and the canaries.
      const db = ports.dbDeploy;
      const migrated = await log.run(
        "db-deploy",
        `wave ${wave.name}: db deploy`,
        () =>
          allRegions(deferred, (r) => {
            if (!deployments.some((x) => x.region === r)) throw new Error(`no deployment reported for ${r}`);
            return db.afterCreate(r);
          }),
        judgeDb,
      );
      if (!migrated.ok) return stop(wave, `the DB deploy into the new stacks of wave ${wave.name} failed`);
    }
    const missingRegions = wave.regions.filter((r) => !deployments.some((d) => d.region === r));
    if (missingRegions.length > 0) {
      result.deployedRegions.push(...missingRegions);
      log.record({ modelAction: "progressive-deployment", name: `wave ${wave.name}: deploy`, status: "failed", detail: `no deployment reported for ${missingRegions.join(", ")}` });
      return stop(wave, `wave ${wave.name} did not report every region`);
    }

    for (const d of deployments) {
      const ok = await log.run(
        "progressive-deployment",
        "verify digest",
        async () => verifyDeployedDigest(d.parameters, s.digest, { stack: d.stackName, region: d.region }, s.imageParameter),
        (uri) => ({ status: "passed", detail: `${s.imageParameter}=${uri}` }),
        d.region,
      );
      if (!ok.ok) return stop(wave, `digest mismatch in ${d.region}`);
    }

    const alarmsByRegion: Record<string, string[]> = {};
    const expectedByRegion = new Map<string, ExpectedAlarm[]>();
    for (const d of deployments) {
      const expected = expectedAlarms(d.outputs, s.configuredAlarms);
      expectedByRegion.set(d.region, expected);
      alarmsByRegion[d.region] = expected.map((e) => e.name);
      const during = d.watches.map((w) => summariseWatch(expected, w, bakeMs));
      result.monitoring.push(...during);
      const ok = await log.run(
        "progressive-deployment",
        "alarms during traffic shift",
        async () => during,
        (sum) => {
          const lines = sum.flatMap((m) => m.lines).join("\n");
          if (expected.length === 0) return { status: "failed", detail: "no alarms in the stack outputs or in dpra.yaml: prod cannot roll back on its own" };
          return { status: sum.every((m) => m.healthy) ? "passed" : "failed", detail: lines || "no watch reported" };
        },
        d.region,
      );
      if (!ok.ok) return stop(wave, `alarm during the traffic shift in ${d.region}`);
    }

    // The bake makes calls all along (the alarm watch); a session that ends during it is renewed first.
    const baked = await log.run(
      "progressive-deployment",
      `wave ${wave.name}: bake ${wave.bakeMinutes} min`,
      async () => {
        await ports.sessions?.ensureValidFor(wave.regions, bakeMs);
        return ports.waves.bakeWave(wave, alarmsByRegion, bakeMs);
      },
      (observations) => {
        const sums = observations.map((o) => summariseWatch(expectedByRegion.get(o.region ?? "") ?? [], o, bakeMs));
        result.monitoring.push(...sums);
        const lines = sums.flatMap((m) => m.lines).join("\n");
        if (sums.length < wave.regions.length) return { status: "failed", detail: `bake reported ${sums.length} of ${wave.regions.length} regions\n${lines}` };
        return { status: sums.every((m) => m.healthy) ? (sums.some((m) => m.insufficientTooLong.length) ? "warning" : "passed") : "failed", detail: lines };
      },
    );
    if (!baked.ok) return stop(wave, `alarm breached during the bake of wave ${wave.name}`);

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
    if (canaries.some((c) => !c.ok)) return stop(wave, `prod synthetic test failed after wave ${wave.name}`);
  }

  result.passed = true;
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
