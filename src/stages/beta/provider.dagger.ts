// The Test (Beta) stage of a release on ephemeral Dagger services (src/stages/beta): PostgreSQL with
// a generated password, the DB deploy, the app from the build's exact image, readiness on its health
// endpoint, then the integration and E2E suites against it. Each DPRA action is one runner; the plan
// orders them. The release composes it through the stage contract (src/pipeline/stage.ts).
import { dag, type Container, type Service } from "@dagger.io/dagger";
import { formatDbDeployReport } from "../../actions/db-deploy/report.js";
import { runDbDeploy } from "../../actions/db-deploy/container.dagger.js";
import { PLAYWRIGHT_ARTIFACTS, playwrightContainer, runSuite, type SuiteRun } from "../../actions/tests/suite.dagger.js";
import type { ActionOutcome, ActionRunner } from "../../pipeline/execute.js";
import { APP_HOST, appService, migrationFingerprint, waitUntilReady } from "./app.dagger.js";
import { betaDatabase, databaseBinding, type BetaDatabase } from "./database.dagger.js";
import { POSTGRES_IMAGE } from "./images.js";
import type { StageProvider, StageRunners } from "../../pipeline/stage.js";
import type { DaggerReleaseContext } from "../../pipeline/context.dagger.js";

function imageOf(ctx: DaggerReleaseContext): Container {
  const image = ctx.build?.image;
  if (!image) throw new Error("the build stage handed on no packaged image: Beta deploys the build's image and never builds one");
  return image;
}

/** Runners of the Beta actions, sharing the environment they create. */
export function betaRunners(ctx: DaggerReleaseContext): StageRunners<"beta"> {
  const beta = ctx.config.environments.beta;
  const logs = dag.cacheVolume(`dpra-beta-app-logs-${ctx.runId}`);
  let db: BetaDatabase | undefined;
  let migrated: string | undefined;
  let app: Service | undefined;
  let baseUrl = "";

  const launchEnv: ActionRunner = async () => {
    if (!ctx.config.database) return { ok: true, summary: "ephemeral Dagger service network; no database configured" };
    db = betaDatabase(ctx.config.database.name, ctx.runId);
    await db.service.start();
    return { ok: true, summary: `PostgreSQL service ${POSTGRES_IMAGE.split("@")[0]} started, database ${db.endpoint.database}, generated password passed as a secret` };
  };

  const dbDeploy: ActionRunner = async () => {
    const database = ctx.config.database;
    if (!database || !db) return { ok: false, summary: "no Beta database to deploy to: the launch-env action did not create one" };
    const report = await runDbDeploy({ database, source: ctx.source, target: db, appImage: imageOf(ctx), runId: ctx.runId });
    const path = ctx.reports.addText("beta/db-deploy.md", formatDbDeployReport(report));
    migrated = migrationFingerprint(report);
    return { ok: report.ok, summary: report.summary, reports: [path] };
  };

  const deploySoftware: ActionRunner = async () => {
    if (ctx.config.database && !migrated) return { ok: false, summary: "the database was not deployed: the app does not start on an unmigrated database" };
    const { service } = await appService({ image: imageOf(ctx), port: beta.port, env: beta.env, ...(db ? { db } : {}), ...(migrated ? { migrated } : {}), logs, runId: ctx.runId });
    await service.start();
    const ready = await waitUntilReady(service, { port: beta.port, healthPath: beta.healthPath, timeoutSeconds: beta.readyTimeoutSeconds, logs, runId: ctx.runId });
    app = service;
    baseUrl = `http://${APP_HOST}:${beta.port}`;
    return { ok: true, summary: `app from the build's image is healthy on ${ready.url} (HTTP ${ready.status} after ${ready.seconds}s)` };
  };

  const suiteOutcome = (name: string, run: SuiteRun): ActionOutcome => {
    const reports = run.reportFiles.map((r) => ctx.reports.addFile(`beta/${name}/${r.path.split("/").pop()}`, r.file));
    if (run.artifacts) reports.push(ctx.reports.addDirectory(`beta/${name}/${PLAYWRIGHT_ARTIFACTS}`, run.artifacts));
    return { ok: run.ok, summary: run.summary, reports };
  };

  const requireApp = (): Service => {
    if (!app) throw new Error("the app service is not running: deploy-software did not succeed");
    return app;
  };

  const integrationTests: ActionRunner = async () => {
    const suite = ctx.config.tests.integration;
    const testImage = ctx.build?.testImage;
    if (!suite) return { ok: false, summary: "tests.integration is not configured" };
    if (!testImage) return { ok: false, summary: "no test image to run the integration tests in: the build hands on its test container (with `beta`, pass --test-image)" };
    const run = await runSuite({
      suite: "integration",
      container: testImage,
      command: suite.command,
      reports: suite.reports,
      app: { host: APP_HOST, service: requireApp(), baseUrl },
      ...(db ? { withEnvironment: databaseBinding(db) } : {}),
      runId: ctx.runId,
    });
    return suiteOutcome("integration", run);
  };

  const e2eTests: ActionRunner = async () => {
    const suite = ctx.config.tests.e2e;
    if (!suite) return { ok: false, summary: "tests.e2e is not configured" };
    let container: Container;
    let command = suite.command;
    if (suite.playwright) {
      const pw = playwrightContainer(ctx.source, ctx.config.build.workdir ?? ".", ctx.config.build.packageManager);
      container = pw.container;
      command = `${pw.install} && ${suite.command}`;
    } else {
      const testImage = ctx.build?.testImage;
      if (!testImage)
        return { ok: false, summary: "no test image to run the E2E tests in: set tests.e2e.playwright, or give the build's test container (with `beta`, --test-image)" };
      container = testImage;
    }
    const run = await runSuite({
      suite: "e2e",
      container,
      command,
      reports: suite.reports,
      app: { host: APP_HOST, service: requireApp(), baseUrl },
      ...(db ? { withEnvironment: databaseBinding(db) } : {}),
      runId: ctx.runId,
      artifactsDir: PLAYWRIGHT_ARTIFACTS,
    });
    return suiteOutcome("e2e", run);
  };

  return {
    "beta.launch-env": launchEnv,
    "beta.db-deploy": dbDeploy,
    "beta.deploy-software": deploySoftware,
    "beta.integration-tests": integrationTests,
    "beta.e2e-tests": e2eTests,
  };
}

export const betaStage: StageProvider<DaggerReleaseContext, "beta"> = { stage: "beta", runners: betaRunners };
