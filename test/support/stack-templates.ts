// Template pieces for tests whose AWS side is simulated: enough for the config↔template contract
// (src/config/contract.ts), which deploy and release check before any AWS call.

/**
 * An ECS service that implements `deployment.strategy: ecs-blue-green` (the default): Strategy
 * BLUE_GREEN with deployment alarms that roll back. Indented as an entry of a template's Resources.
 */
export const BLUE_GREEN_SERVICE = `  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: app
      TaskDefinition: app
      DeploymentConfiguration:
        Strategy: BLUE_GREEN
        Alarms: { Enable: true, Rollback: true, AlarmNames: [app-5xx] }
`;
