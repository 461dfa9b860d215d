// The DPRA application pipeline as data: every stage and action of the AWS Deployment Pipeline
// Reference Architecture's application pipeline text, kept in the repository as
// test/fixtures/dpra/application-pipeline.md (test/pipeline/model.test.ts checks this model against
// it), with the required/recommended mark exactly as the document states it. The document marks
// each action twice, in the diagram (node colour #ff9900 = required, #d4dada = recommended) and in
// the prose (`???+ required "..."`); the two disagree for two Prod actions, so both are kept and the
// effective mark is the stricter one.
// Engine-free: no Dagger types here.

export type Mark = "required" | "recommended";

export type StageId = "source" | "pre-commit" | "build" | "beta" | "gamma" | "prod";

/**
 * How an action takes part in a run:
 * - `input`: something the source must hold (Source stage); checked, not executed;
 * - `local`: runs on the developer's machine (pre-commit hooks, IDE plugins), not in the pipeline run;
 * - `run`: executed by the pipeline.
 */
export type ActionKind = "input" | "local" | "run";

/** An action as the model writes it down; its ID derives from stage and name (ActionDef). */
interface ActionSpec {
  stage: StageId;
  /** Short name used in plans and reports. */
  name: string;
  /** The action's heading in the DPRA prose (`???+ required "<heading>"`). */
  proseHeading: string;
  proseMark: Mark;
  /** The node label in the DPRA diagram; absent when the diagram does not draw the action. */
  diagramLabel?: string;
  diagramMark?: Mark;
  kind: ActionKind;
  /** Actions of the same group run concurrently (the DPRA "Build Service"). */
  group?: string;
}

export interface ActionDef extends ActionSpec {
  /** `<stage>.<action>`, e.g. `beta.db-deploy`. */
  id: ActionId;
}

export interface StageDef {
  id: StageId;
  /** Section heading in the DPRA prose. */
  proseHeading: string;
  /** Cluster label in the DPRA diagram, when drawn. */
  diagramLabel?: string;
}

export const STAGES: readonly StageDef[] = [
  { id: "source", proseHeading: "Source", diagramLabel: "Source" },
  { id: "pre-commit", proseHeading: "Pre-Commit hooks" },
  { id: "build", proseHeading: "Build", diagramLabel: "Build Stage" },
  { id: "beta", proseHeading: "Test (Beta)", diagramLabel: "Test (Beta) Stage" },
  { id: "gamma", proseHeading: "Test (Gamma)", diagramLabel: "Test (Gamma) Stage" },
  { id: "prod", proseHeading: "Prod", diagramLabel: "Prod Stage" },
];

/** The group of build actions the DPRA diagram draws as the "Build Service" (node "Build Service", required). */
export const BUILD_SERVICE = { id: "build-service", diagramLabel: "Build Service", diagramMark: "required" as Mark };

const R: Mark = "required";
const O: Mark = "recommended";

// One line per action, in the DPRA's order: a table read down its columns (prettier-ignore keeps each entry on one line).
// prettier-ignore
const DEFS = [
  // Source
  { stage: "source", name: "application-source", proseHeading: "Application Source Code", proseMark: R, diagramLabel: "Application Source", diagramMark: R, kind: "input" },
  { stage: "source", name: "test-source", proseHeading: "Test Source Code", proseMark: R, diagramLabel: "Test Source", diagramMark: R, kind: "input" },
  { stage: "source", name: "infrastructure-source", proseHeading: "Infrastructure Source Code", proseMark: R, diagramLabel: "Infrastructure Source", diagramMark: R, kind: "input" },
  { stage: "source", name: "static-assets", proseHeading: "Static Assets", proseMark: R, diagramLabel: "Static Assets", diagramMark: R, kind: "input" },
  { stage: "source", name: "dependency-libraries", proseHeading: "Dependency Libraries", proseMark: R, diagramLabel: "Dependency Libraries", diagramMark: R, kind: "input" },
  { stage: "source", name: "static-configuration", proseHeading: "Static Configuration", proseMark: R, diagramLabel: "Configuration", diagramMark: R, kind: "input" },
  { stage: "source", name: "database-source", proseHeading: "Database Source Code", proseMark: O, diagramLabel: "Database Source", diagramMark: O, kind: "input" },
  // Pre-commit (not drawn in the diagram)
  { stage: "pre-commit", name: "secrets-detection", proseHeading: "Secrets Detection", proseMark: R, kind: "local" },
  { stage: "pre-commit", name: "ide-plugins", proseHeading: "IDE Plugins", proseMark: O, kind: "local" },
  // Build: the five Build Service actions run concurrently; package and SCA follow.
  { stage: "build", name: "build-code", proseHeading: "Build Code", proseMark: R, diagramLabel: "Build Code", diagramMark: R, kind: "run", group: BUILD_SERVICE.id },
  { stage: "build", name: "unit-tests", proseHeading: "Unit Tests", proseMark: R, diagramLabel: "Unit Tests", diagramMark: R, kind: "run", group: BUILD_SERVICE.id },
  { stage: "build", name: "code-quality", proseHeading: "Code Quality", proseMark: R, diagramLabel: "Code Quality", diagramMark: R, kind: "run", group: BUILD_SERVICE.id },
  { stage: "build", name: "secrets-detection", proseHeading: "Secrets Detection", proseMark: R, diagramLabel: "Secrets Detection", diagramMark: R, kind: "run", group: BUILD_SERVICE.id },
  { stage: "build", name: "sast", proseHeading: "Static Application Security Testing (SAST)", proseMark: R, diagramLabel: "SAST", diagramMark: R, kind: "run", group: BUILD_SERVICE.id },
  { stage: "build", name: "package-artifacts", proseHeading: "Package and Store Artifact(s)", proseMark: R, diagramLabel: "Package Artifacts", diagramMark: R, kind: "run" },
  { stage: "build", name: "sca", proseHeading: "Software Composition Analysis (SCA)", proseMark: R, diagramLabel: "SCA", diagramMark: R, kind: "run" },
  // Test (Beta)
  { stage: "beta", name: "launch-env", proseHeading: "Launch Environment", proseMark: O, diagramLabel: "Launch Env", diagramMark: O, kind: "run" },
  { stage: "beta", name: "db-deploy", proseHeading: "Database Deploy", proseMark: O, diagramLabel: "DB Deploy", diagramMark: O, kind: "run" },
  { stage: "beta", name: "deploy-software", proseHeading: "Deploy Software", proseMark: O, diagramLabel: "Deploy Software", diagramMark: O, kind: "run" },
  { stage: "beta", name: "integration-tests", proseHeading: "Integration Tests", proseMark: O, diagramLabel: "Integration Tests", diagramMark: O, kind: "run" },
  { stage: "beta", name: "e2e-tests", proseHeading: "End-to-End (E2E) Tests", proseMark: O, diagramLabel: "E2E Tests", diagramMark: O, kind: "run" },
  // Test (Gamma)
  { stage: "gamma", name: "launch-env", proseHeading: "Launch Environment", proseMark: R, diagramLabel: "Launch Env", diagramMark: R, kind: "run" },
  { stage: "gamma", name: "db-deploy", proseHeading: "Database Deploy", proseMark: R, diagramLabel: "DB Deploy", diagramMark: R, kind: "run" },
  { stage: "gamma", name: "deploy-software", proseHeading: "Deploy Software", proseMark: R, diagramLabel: "Deploy Software", diagramMark: R, kind: "run" },
  { stage: "gamma", name: "monitoring", proseHeading: "Application Monitoring & Logging", proseMark: R, diagramLabel: "Application Monitoring & Logging", diagramMark: R, kind: "run" },
  { stage: "gamma", name: "synthetic-tests", proseHeading: "Synthetic Tests", proseMark: R, diagramLabel: "Synthetic Tests", diagramMark: R, kind: "run" },
  { stage: "gamma", name: "capacity-tests", proseHeading: "Performance Tests", proseMark: O, diagramLabel: "Capacity Tests", diagramMark: O, kind: "run" },
  { stage: "gamma", name: "chaos-tests", proseHeading: "Chaos/Resiliency Tests", proseMark: O, diagramLabel: "Chaos/Resiliency Tests", diagramMark: O, kind: "run" },
  // Prod: the prose and the diagram disagree on "Optional Approval" and "Synthetic Tests".
  { stage: "prod", name: "approval", proseHeading: "Optional Approval", proseMark: R, diagramLabel: "Optional Approval", diagramMark: O, kind: "run" },
  { stage: "prod", name: "db-deploy", proseHeading: "Database Deploy", proseMark: R, diagramLabel: "DB Deploy", diagramMark: R, kind: "run" },
  { stage: "prod", name: "progressive-deployment", proseHeading: "Progressive Deployment", proseMark: R, diagramLabel: "Blue/Green Deployment", diagramMark: R, kind: "run" },
  { stage: "prod", name: "synthetic-tests", proseHeading: "Synthetic Tests", proseMark: O, diagramLabel: "Synthetic Tests", diagramMark: R, kind: "run" },
] as const satisfies readonly ActionSpec[];

type ModelDef = (typeof DEFS)[number];

/** The model's name of an action of `stage` (`db-deploy`, ...): a misspelt one is a type error. */
export type ActionName<S extends StageId = StageId> = Extract<ModelDef, { stage: S }>["name"];

/** The ID of an action of `stage`, `<stage>.<name>` (`beta.db-deploy`, ...), as the model defines it. */
export type ActionIdOf<S extends StageId> = S extends StageId ? `${S}.${ActionName<S>}` : never;

/** The ID of any action of the model. */
export type ActionId = ActionIdOf<StageId>;

const idOf = (d: ModelDef): ActionId => `${d.stage}.${d.name}` as ActionId;

/** Every DPRA application-pipeline action, in document order. */
export const ACTIONS: readonly ActionDef[] = DEFS.map((d) => ({ ...d, id: idOf(d) }));

/** The effective mark: required when either the prose or the diagram says required. */
export function markOf(action: ActionDef): Mark {
  return action.proseMark === "required" || action.diagramMark === "required" ? "required" : "recommended";
}

/** Where the two marks of the document disagree, in words; undefined when they agree or only one exists. */
export function markDisagreement(action: ActionDef): string | undefined {
  if (action.diagramMark === undefined || action.diagramMark === action.proseMark) return undefined;
  return `the DPRA prose marks it ${action.proseMark}, its diagram ${action.diagramMark}`;
}

export function stageDef(id: StageId): StageDef {
  const stage = STAGES.find((s) => s.id === id);
  if (!stage) throw new Error(`unknown stage ${id}`);
  return stage;
}

export function actionDef(id: string): ActionDef {
  const action = ACTIONS.find((a) => a.id === id);
  if (!action) throw new Error(`unknown DPRA action ${id}; known: ${ACTIONS.map((a) => a.id).join(", ")}`);
  return action;
}

export function actionsOf(stage: StageId): ActionDef[] {
  return ACTIONS.filter((a) => a.stage === stage);
}

/** The IDs of the actions of `stage` the pipeline runs (kind `run`), in document order. */
export function runActionIdsOf<S extends StageId>(stage: S): Array<ActionIdOf<S>> {
  return ACTIONS.filter((a) => a.stage === stage && a.kind === "run").map((a) => a.id as ActionIdOf<S>);
}
