// The `deployment.strategy` part of the config↔template contract: dpra.yaml says how the app's ECS
// service rolls out a new image, and the template must implement exactly that, with a rollback that
// fires on its own. What each strategy needs, from the CloudFormation Template Reference:
//  - AWS::ECS::Service DeploymentConfiguration `Strategy`: ROLLING (the default), BLUE_GREEN, LINEAR
//    or CANARY, with the ECS deployment controller; `CanaryConfiguration` / `LinearConfiguration`
//    tune the last two (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentconfiguration.html,
//    .../aws-properties-ecs-service-deploymentcontroller.html).
//  - DeploymentConfiguration `Alarms` (DeploymentAlarms: AlarmNames, Enable, Rollback): "When the alarms
//    are generated, Amazon ECS sets the service deployment to failed. Set the rollback parameter to have
//    Amazon ECS roll back"; usable only with the ECS deployment controller (.../aws-properties-ecs-service-deploymentalarms.html).
//  - DeploymentConfiguration `DeploymentCircuitBreaker` (Enable, Rollback): "can only be used for services
//    using the rolling update (ECS) deployment type"; fails the deployment when the service cannot reach a
//    steady state and, with Rollback, returns to the last completed deployment (.../aws-properties-ecs-service-deploymentcircuitbreaker.html).
//  - AWS::CodeDeploy::DeploymentGroup `AutoRollbackConfiguration` (Enabled, Events: DEPLOYMENT_FAILURE,
//    DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST) (.../aws-properties-codedeploy-deploymentgroup-autorollbackconfiguration.html);
//    the service then has DeploymentController Type CODE_DEPLOY.
// The rules dpra applies (docs/deploy.md "Deployment strategy"):
//  - ecs-blue-green / ecs-canary / ecs-linear: every ECS service has the ECS controller, Strategy
//    BLUE_GREEN / CANARY / LINEAR, and Alarms with Enable and Rollback true and at least one alarm;
//  - rolling: every ECS service has the ECS controller, Strategy ROLLING or none, and the circuit breaker
//    with Enable and Rollback true (alarms may be added; the circuit breaker is the floor);
//  - codedeploy: every ECS service has the CODE_DEPLOY controller, and a deployment group has
//    AutoRollbackConfiguration Enabled true with DEPLOYMENT_FAILURE or DEPLOYMENT_STOP_ON_ALARM among its Events.
// A template with no ECS service implements none of them and is refused. Values are literals or Refs
// to parameters with a value known before deploy; anything else cannot be checked and is refused.
import type { CloudFormationTemplate } from "./template.js";
import { evaluateCondition } from "./contract.js";
import type { ConfigProblem } from "./errors.js";
import type { DeploymentStrategy } from "./sections/environments.js";

/** The ECS native strategy each ECS-controlled dpra strategy needs. */
const ECS_STRATEGY: Record<Exclude<DeploymentStrategy, "codedeploy">, string> = {
  "ecs-blue-green": "BLUE_GREEN",
  "ecs-canary": "CANARY",
  "ecs-linear": "LINEAR",
  rolling: "ROLLING",
};

const ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"];

/** A template value resolved to a literal, or `undecided` when it is an intrinsic with no known value. */
type Resolved = { value: unknown } | { undecided: true };

function resolve(node: unknown, known: ReadonlyMap<string, string>): Resolved {
  if (node === undefined || node === null || typeof node !== "object" || Array.isArray(node)) return { value: node };
  if ("Ref" in node && typeof node.Ref === "string" && Object.keys(node).length === 1) {
    const v = known.get(node.Ref);
    return v === undefined ? { undecided: true } : { value: v };
  }
  const key = Object.keys(node)[0] ?? "";
  return key.startsWith("Fn::") ? { undecided: true } : { value: node };
}

function record(node: unknown): Record<string, unknown> | undefined {
  return node !== null && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

/** CloudFormation takes booleans as true/false or "true"/"false". */
function isTrue(v: unknown): boolean {
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

interface Context {
  file: string;
  field: string;
  strategy: DeploymentStrategy;
  known: ReadonlyMap<string, string>;
  problems: ConfigProblem[];
}

/** Checks one property: `want` says whether the resolved value is right; `need` what it should be. */
function expect(ctx: Context, path: string, node: unknown, want: (v: unknown) => boolean, need: string): void {
  const r = resolve(node, ctx.known);
  if ("undecided" in r) {
    ctx.problems.push({
      path,
      message: `is neither a literal nor a Ref to a parameter with a value known before deploy, so dpra cannot check that it gives what ${ctx.field} ${ctx.strategy} needs (${need}); write the value in ${ctx.file} as a literal or such a Ref`,
    });
    return;
  }
  if (want(r.value)) return;
  const found = r.value === undefined ? "is not set" : `is ${JSON.stringify(r.value)}`;
  ctx.problems.push({
    path,
    message: `${found}, but ${ctx.field} is ${ctx.strategy}, which needs ${need}; set it in ${ctx.file} or change ${ctx.field} to the strategy the template implements`,
  });
}

function checkEcsService(ctx: Context, id: string, props: Record<string, unknown>): void {
  const base = `Resources.${id}.Properties`;
  const controller = record(props.DeploymentController)?.Type;
  const config = record(props.DeploymentConfiguration) ?? {};
  if (ctx.strategy === "codedeploy") {
    expect(ctx, `${base}.DeploymentController.Type`, controller, (v) => v === "CODE_DEPLOY", "DeploymentController Type CODE_DEPLOY");
    return;
  }
  const wanted = ECS_STRATEGY[ctx.strategy];
  expect(ctx, `${base}.DeploymentController.Type`, controller, (v) => v === undefined || v === "ECS", "the ECS deployment controller (Type ECS or none)");
  expect(ctx, `${base}.DeploymentConfiguration.Strategy`, config.Strategy, (v) => v === wanted || (wanted === "ROLLING" && v === undefined), `Strategy ${wanted}`);
  if (ctx.strategy === "rolling") {
    const breaker = record(config.DeploymentCircuitBreaker) ?? {};
    expect(ctx, `${base}.DeploymentConfiguration.DeploymentCircuitBreaker.Enable`, breaker.Enable, isTrue, "the deployment circuit breaker on (Enable: true)");
    expect(ctx, `${base}.DeploymentConfiguration.DeploymentCircuitBreaker.Rollback`, breaker.Rollback, isTrue, "a failed deployment rolled back (Rollback: true)");
    return;
  }
  const alarms = record(config.Alarms) ?? {};
  expect(ctx, `${base}.DeploymentConfiguration.Alarms.Enable`, alarms.Enable, isTrue, "deployment alarms on (Alarms Enable: true)");
  expect(ctx, `${base}.DeploymentConfiguration.Alarms.Rollback`, alarms.Rollback, isTrue, "a rollback when an alarm fires (Alarms Rollback: true)");
  expect(ctx, `${base}.DeploymentConfiguration.Alarms.AlarmNames`, alarms.AlarmNames, (v) => Array.isArray(v) && v.length > 0, "at least one alarm in Alarms AlarmNames");
}

function deploymentGroupRollsBack(props: Record<string, unknown>, known: ReadonlyMap<string, string>): boolean {
  const auto = record(props.AutoRollbackConfiguration);
  if (!auto) return false;
  const enabled = resolve(auto.Enabled, known);
  if (!("value" in enabled) || !isTrue(enabled.value)) return false;
  return Array.isArray(auto.Events) && auto.Events.some((e) => typeof e === "string" && ROLLBACK_EVENTS.includes(e));
}

/**
 * The strategy problems of one environment: `known` holds the parameter values known before deploy,
 * `field` names the dpra.yaml setting (`environments.gamma.deployment.strategy`).
 */
export function checkStrategy(strategy: DeploymentStrategy, template: CloudFormationTemplate, file: string, field: string, known: ReadonlyMap<string, string>): ConfigProblem[] {
  const ctx: Context = { file, field, strategy, known, problems: [] };
  const conditions = template.Conditions ?? {};
  // A resource whose Condition is false with the known parameters is not created, so it does not count.
  const created = Object.entries(template.Resources ?? {}).filter(([, r]) => {
    const cond = typeof r.Condition === "string" ? r.Condition : undefined;
    return cond === undefined || evaluateCondition({ Condition: cond }, known, conditions) !== false;
  });
  const services = created.filter(([, r]) => r.Type === "AWS::ECS::Service");
  if (services.length === 0) {
    ctx.problems.push({
      path: "Resources",
      message: `has no AWS::ECS::Service, so nothing implements ${field} ${strategy}; add the app's ECS service to ${file} or deploy it with a template that has one`,
    });
    return ctx.problems;
  }
  for (const [id, r] of services) checkEcsService(ctx, id, record(r.Properties) ?? {});
  if (strategy === "codedeploy") {
    const groups = created.filter(([, r]) => r.Type === "AWS::CodeDeploy::DeploymentGroup");
    if (!groups.some(([, r]) => deploymentGroupRollsBack(record(r.Properties) ?? {}, known))) {
      const which =
        groups.length === 0
          ? "has no AWS::CodeDeploy::DeploymentGroup"
          : `has no AWS::CodeDeploy::DeploymentGroup (of ${groups.map(([id]) => id).join(", ")}) with automatic rollback`;
      ctx.problems.push({
        path: groups.length === 0 ? "Resources" : `Resources.${groups[0]?.[0] ?? ""}.Properties.AutoRollbackConfiguration`,
        message: `${which}, and ${field} codedeploy needs one with AutoRollbackConfiguration Enabled: true and Events including ${ROLLBACK_EVENTS.join(" or ")}; add it to ${file} or change ${field}`,
      });
    }
  }
  return ctx.problems;
}
