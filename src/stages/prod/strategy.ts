/** How each deployment strategy shifts traffic and who rolls back while it does. */
export type DeploymentStrategy = "ecs-blue-green" | "ecs-canary" | "ecs-linear" | "codedeploy" | "rolling";

export interface StrategyPlan {
  strategy: DeploymentStrategy;
  /** What shifts traffic inside the stack update. */
  trafficShift: string;
  /** What rolls back automatically during the shift, before the pipeline's own bake. */
  selfRollback: string;
}

const PLANS: Record<DeploymentStrategy, Omit<StrategyPlan, "strategy">> = {
  "ecs-blue-green": {
    trafficShift: "ECS native blue/green: the new task set gets all traffic after its bake time",
    selfRollback: "ECS deployment alarms and bake time roll back to the blue task set",
  },
  "ecs-canary": {
    trafficShift: "ECS native canary: a share of traffic first, the rest after the canary bake",
    selfRollback: "ECS deployment alarms roll back during the canary step",
  },
  "ecs-linear": {
    trafficShift: "ECS native linear: traffic moves in equal steps with a bake between steps",
    selfRollback: "ECS deployment alarms roll back at any step",
  },
  codedeploy: {
    trafficShift: "CodeDeploy blue/green (CloudFormation hook) with the deployment group's traffic routing",
    selfRollback: "CodeDeploy auto-rollback on the deployment group's alarms and on failure",
  },
  rolling: {
    trafficShift: "ECS rolling update: tasks are replaced in batches",
    selfRollback: "the ECS deployment circuit breaker with rollback",
  },
};

export function strategyPlan(strategy: DeploymentStrategy): StrategyPlan {
  return { strategy, ...PLANS[strategy] };
}
