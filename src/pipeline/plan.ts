// The run plan: the DPRA model applied to one application's resolved dpra.yaml and a target
// environment. It says which actions run, which are not configured (and why), and what each
// action waits for. Stages run in order; inside a stage, actions run as soon as what they depend
// on has succeeded, so independent actions run concurrently. Engine-free.
import type { DpraConfig } from "../config/schema.js";
import type { TestSuiteName } from "../config/sections/build.js";
import { ACTIONS, markDisagreement, markOf, STAGES, type ActionDef, type ActionId, type ActionKind, type Mark, type StageId } from "./model.js";

export type TargetEnvironment = "beta" | "gamma" | "prod";
export const TARGET_ENVIRONMENTS: readonly TargetEnvironment[] = ["beta", "gamma", "prod"];

/**
 * - `run`: executed in this run;
 * - `provided`: a Source input the application has;
 * - `local`: runs on developer machines (pre-commit), outside the pipeline run;
 * - `not-configured`: dpra.yaml (or the source) does not set it up; `reason` says what would;
 * - `beyond-target`: belongs to a stage after the target environment.
 */
export type ActionState = "run" | "provided" | "local" | "not-configured" | "beyond-target";

export interface PlannedAction {
  id: ActionId;
  stage: StageId;
  name: string;
  /** The DPRA heading of the action. */
  title: string;
  mark: Mark;
  /** Set when the DPRA prose and diagram disagree on the mark. */
  markNote?: string;
  kind: ActionKind;
  state: ActionState;
  /** What runs it, or why it does not run. */
  detail: string;
  /** IDs of `run` actions of the same stage that must succeed first. */
  dependsOn: ActionId[];
  /** Actions of one group run concurrently (the DPRA Build Service). */
  group?: string;
  /** Set when the action has nothing to act on for this application (a DB deploy without a database). */
  notApplicable?: true;
}

export interface PlannedStage {
  id: StageId;
  title: string;
  /** Whether any of its actions run in this plan. */
  runs: boolean;
  actions: PlannedAction[];
}

export interface RunPlan {
  target: TargetEnvironment;
  stages: PlannedStage[];
}

/** What each action waits for inside its stage, before unconfigured actions are bypassed. */
const DEPENDENCIES: Partial<Record<ActionId, ActionId[]>> = {
  "build.package-artifacts": ["build.build-code"],
  "build.sca": ["build.package-artifacts"],
  "beta.db-deploy": ["beta.launch-env"],
  "beta.deploy-software": ["beta.launch-env", "beta.db-deploy"],
  "beta.integration-tests": ["beta.deploy-software"],
  "beta.e2e-tests": ["beta.deploy-software"],
  "gamma.db-deploy": ["gamma.launch-env"],
  "gamma.deploy-software": ["gamma.launch-env", "gamma.db-deploy"],
  "gamma.monitoring": ["gamma.deploy-software"],
  "gamma.synthetic-tests": ["gamma.deploy-software"],
  "gamma.capacity-tests": ["gamma.deploy-software"],
  // Faults are injected while a load runs; measuring capacity at the same time would mix the two.
  "gamma.chaos-tests": ["gamma.capacity-tests"],
  "prod.db-deploy": ["prod.approval"],
  "prod.progressive-deployment": ["prod.approval", "prod.db-deploy"],
  "prod.synthetic-tests": ["prod.progressive-deployment"],
};

const STAGE_OF_TARGET: Record<TargetEnvironment, StageId> = { beta: "beta", gamma: "gamma", prod: "prod" };
const STAGE_ORDER: readonly StageId[] = STAGES.map((s) => s.id);

type Setup = { configured: true; detail: string } | { configured: false; detail: string; notApplicable?: true };

const yes = (detail: string): Setup => ({ configured: true, detail });
const no = (detail: string): Setup => ({ configured: false, detail });
/** Nothing to do for this application: not a gap, even where the DPRA requires the action. */
const none = (detail: string): Setup => ({ configured: false, detail, notApplicable: true });

/** How the plan, and every report that shows an action's detail, states a suite's opt-out. */
export function optedOut(suite: TestSuiteName, reason: string): string {
  return `opted out in dpra.yaml (tests.optOut.${suite}): ${reason}`;
}

/** A configured integration or E2E suite cannot pass empty. */
const BLOCKS_EMPTY = " (blocks when it ran no test case or wrote no report)";

/** Whether dpra.yaml sets an action up, and with what. */
function setupOf(action: ActionDef, config: DpraConfig): Setup {
  const db = config.database;
  const gamma = config.environments.gamma;
  const prod = config.environments.prod;
  const tests = config.tests;
  const anyTests = tests.unit ?? tests.integration ?? tests.e2e;
  const hasInfra = gamma !== undefined || prod !== undefined;
  // Gamma's and Prod's DB deploy: the same migration task, once the environment exists.
  const awsDbDeploy = (): Setup =>
    db
      ? yes(`migration task ${db.aws.taskDefinitionOutput} from the new image in the VPC (ECS), credentials from Secrets Manager`)
      : none("no database: nothing to deploy (add a `database` section to dpra.yaml if the app has one)");
  const dbTool = db ? (db.tool === "custom" ? `custom command \`${db.command ?? ""}\`` : `${db.tool} (${db.migrations})`) : "";
  switch (action.id) {
    case "source.application-source":
      return yes(`the source directory (preset ${config.build.preset ?? "detected"})`);
    case "source.test-source":
      return anyTests || config.build.preset !== "generic"
        ? yes("tests in the application repository")
        : no("no tests: set tests.unit / tests.integration / tests.e2e in dpra.yaml");
    case "source.infrastructure-source":
      return hasInfra ? yes(`CloudFormation template ${(gamma ?? prod)?.template ?? ""}`) : no("no AWS environment: set environments.gamma / environments.prod with a template");
    case "source.static-assets":
    case "source.dependency-libraries":
    case "source.static-configuration":
      return yes("part of the application source, packaged into the image");
    case "source.database-source":
      return db ? yes(`migrations in ${db.migrations}`) : no("no database: add a `database` section to dpra.yaml");
    case "pre-commit.secrets-detection":
      return yes("gitleaks hook for pre-commit / husky, same config as the pipeline");
    case "pre-commit.ide-plugins":
      return yes("the project's linters in the developer's IDE");
    case "build.build-code":
      return yes(`build with the ${config.build.preset ?? "detected"} preset`);
    case "build.unit-tests":
      if (tests.unit) return yes(`\`${tests.unit.command}\`, JUnit report`);
      if (tests.optOut.unit) return no(optedOut("unit", tests.optOut.unit));
      return config.build.preset === "generic"
        ? no("the generic preset has no default: set tests.unit.command (the build blocks without unit tests)")
        : config.build.preset === "node"
          ? yes("vitest, or jest with jest-junit, from package.json, JUnit report (the build blocks when neither is there)")
          : yes(`the ${config.build.preset ?? "preset"} preset's test command, JUnit report`);
    case "build.code-quality":
      return yes(config.quality.lint ? `\`${config.quality.lint.command}\`, type check, IaC checks` : "type check and IaC checks");
    case "build.secrets-detection":
      return yes(`gitleaks (${config.security.gitleaks.mode})`);
    case "build.sast":
      return yes("semgrep");
    case "build.package-artifacts":
      return yes(`image from ${config.build.dockerfile}, built once`);
    case "build.sca":
      return yes("trivy vulnerabilities + CycloneDX SBOM");
    case "beta.launch-env":
      return yes(db ? "ephemeral PostgreSQL service + app service (Dagger services)" : "ephemeral app service (Dagger service)");
    case "beta.db-deploy":
      return db ? yes(`${dbTool} against the Beta PostgreSQL service`) : no("no database: add a `database` section to dpra.yaml");
    case "beta.deploy-software":
      return yes(`the built image as a service, ready on ${config.environments.beta.healthPath}`);
    case "beta.integration-tests":
      if (tests.integration) return yes(`\`${tests.integration.command}\` in the test image against the app service, JUnit report${BLOCKS_EMPTY}`);
      return tests.optOut.integration ? no(optedOut("integration", tests.optOut.integration)) : no("set tests.integration.command in dpra.yaml");
    case "beta.e2e-tests":
      if (tests.e2e) {
        return yes(
          `\`${tests.e2e.command}\`${tests.e2e.playwright ? " in the pinned Playwright image" : " in the test image"} against the app service, JUnit report${BLOCKS_EMPTY}`,
        );
      }
      return tests.optOut.e2e ? no(optedOut("e2e", tests.optOut.e2e)) : no("set tests.e2e.command in dpra.yaml");
    case "gamma.launch-env":
    case "gamma.deploy-software":
    case "gamma.monitoring":
      return gamma ? yes(`CloudFormation stack ${gamma.stackName} in ${gamma.account}`) : no("set environments.gamma in dpra.yaml");
    case "gamma.db-deploy":
      return gamma ? awsDbDeploy() : no("set environments.gamma in dpra.yaml");
    case "gamma.synthetic-tests":
      if (!gamma) return no("set environments.gamma in dpra.yaml");
      return config.synthetics ? yes(`CloudWatch Synthetics canary ${config.synthetics.name}`) : no("set `synthetics` in dpra.yaml");
    case "gamma.capacity-tests":
      if (!gamma) return no("set environments.gamma in dpra.yaml");
      return config.capacity ? yes(`k6 ${config.capacity.script}`) : no("set `capacity` in dpra.yaml");
    case "gamma.chaos-tests":
      if (!gamma) return no("set environments.gamma in dpra.yaml");
      return config.chaos ? yes("AWS FIS experiment under k6 load") : no("set `chaos` in dpra.yaml");
    case "prod.approval":
      return prod ? yes(`approval from ${config.approval.sources.join(" or ")}`) : no("set environments.prod in dpra.yaml");
    case "prod.db-deploy":
      return prod ? awsDbDeploy() : no("set environments.prod in dpra.yaml");
    case "prod.progressive-deployment":
      return prod ? yes(`${prod.deployment.strategy} ${prod.waves ? `in ${prod.waves.length} wave(s)` : `in ${prod.region ?? ""}`}`) : no("set environments.prod in dpra.yaml");
    case "prod.synthetic-tests":
      if (!prod) return no("set environments.prod in dpra.yaml");
      return config.synthetics ? yes(`CloudWatch Synthetics canary ${config.synthetics.name}`) : no("set `synthetics` in dpra.yaml");
    default:
      throw new Error(`no configuration rule for DPRA action ${action.id}`);
  }
}

/** Builds the run plan for `release --env <target>` of an application with this resolved config. */
export function buildRunPlan(config: DpraConfig, target: TargetEnvironment = "beta"): RunPlan {
  const lastStage = STAGE_ORDER.indexOf(STAGE_OF_TARGET[target]);
  const planned = new Map<ActionId, PlannedAction>();
  for (const action of ACTIONS) {
    const setup = setupOf(action, config);
    const beyond = STAGE_ORDER.indexOf(action.stage) > lastStage;
    let state: ActionState;
    if (action.kind === "input") state = setup.configured ? "provided" : "not-configured";
    else if (action.kind === "local") state = "local";
    else if (beyond) state = "beyond-target";
    else state = setup.configured ? "run" : "not-configured";
    const detail =
      beyond && action.kind === "run"
        ? `after ${target}: run release --env ${nextTargetFor(action.stage)}${setup.configured ? "" : `; not configured yet: ${setup.detail}`}`
        : setup.detail;
    planned.set(action.id, {
      id: action.id,
      stage: action.stage,
      name: action.name,
      title: action.proseHeading,
      mark: markOf(action),
      ...(markDisagreement(action) ? { markNote: markDisagreement(action) } : {}),
      kind: action.kind,
      state,
      detail,
      dependsOn: [],
      ...(action.group ? { group: action.group } : {}),
      ...(!setup.configured && setup.notApplicable && !beyond ? { notApplicable: true as const } : {}),
    });
  }
  for (const action of planned.values()) {
    if (action.state === "run") action.dependsOn = runnableDependencies(action.id, planned);
  }
  const stages = STAGES.map((s) => {
    const actions = [...planned.values()].filter((a) => a.stage === s.id);
    return { id: s.id, title: s.proseHeading, runs: actions.some((a) => a.state === "run"), actions };
  });
  return { target, stages };
}

function nextTargetFor(stage: StageId): TargetEnvironment {
  return stage === "gamma" ? "gamma" : "prod";
}

/** Dependencies that run, bypassing (transitively) those that do not. */
function runnableDependencies(id: ActionId, planned: Map<ActionId, PlannedAction>, seen = new Set<ActionId>()): ActionId[] {
  const out = new Set<ActionId>();
  for (const dep of DEPENDENCIES[id] ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    const target = planned.get(dep);
    if (!target) throw new Error(`dependency ${dep} of ${id} is not a DPRA action`);
    if (target.state === "run") out.add(dep);
    else for (const transitive of runnableDependencies(dep, planned, seen)) out.add(transitive);
  }
  return [...out];
}

/** Every action of the plan, in stage order. */
export function planActions(plan: RunPlan): PlannedAction[] {
  return plan.stages.flatMap((s) => s.actions);
}

/** The actions that execute, in stage order. */
export function runnableActions(plan: RunPlan): PlannedAction[] {
  return planActions(plan).filter((a) => a.state === "run");
}

/**
 * Required DPRA actions of the stages this plan runs that are not configured: a release to that
 * target would skip something the DPRA requires. Each entry names the action and what to set.
 */
export function missingRequired(plan: RunPlan): string[] {
  return planActions(plan)
    .filter((a) => a.kind === "run" && a.mark === "required" && a.state === "not-configured" && !a.notApplicable)
    .map((a) => `${a.id} (${a.title}, required by the DPRA): ${a.detail}`);
}

/**
 * The plan with one stage's actions marked as provided from outside the run (e.g. the Beta stage
 * run on an image the caller built earlier), so that the executor does not run them.
 */
export function withStageProvided(plan: RunPlan, stage: StageId, detail: string): RunPlan {
  const stages = plan.stages.map((s) => {
    if (s.id !== stage) return s;
    const actions = s.actions.map((a) => (a.kind === "run" && a.state !== "beyond-target" ? { ...a, state: "provided" as const, detail, dependsOn: [] } : a));
    return { ...s, runs: false, actions };
  });
  return { ...plan, stages };
}

/** Parses a user-given environment name, failing with the accepted values. */
export function parseTargetEnvironment(value: string): TargetEnvironment {
  const v = value.trim().toLowerCase();
  if ((TARGET_ENVIRONMENTS as readonly string[]).includes(v)) return v as TargetEnvironment;
  throw new Error(`unknown environment "${value}": expected beta, gamma or prod`);
}
