// The small application that the moto tests deploy with `dpra deploy` (level 2): a template of
// resources moto 5.2.1 creates (an ECS cluster, task definition and rolling service, an SSM
// parameter), keeping the config↔template contract: `deployment.strategy: rolling` with the circuit
// breaker rollback, the capacity endpoint output, every required parameter supplied.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { MOTO_ACCOUNT, motoClientConfig, type MotoServer } from "./moto.js";

export const SMALL_APP_STACK = "cli-app-gamma";
export const SMALL_APP_REGION = "eu-west-1";
export const SMALL_APP_IMAGE = `${MOTO_ACCOUNT}.dkr.ecr.${SMALL_APP_REGION}.amazonaws.com/cli-app@sha256:${"c".repeat(64)}`;

/** The template's parameters, resources and outputs; tests break one part to see it refused. */
export const SMALL_APP_TEMPLATE = `Parameters:
  ImageUri:
    Type: String
  Greeting:
    Type: String
    Default: hello
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: cli-app
      ContainerDefinitions:
        - Name: app
          Image: !Ref ImageUri
          Memory: 512
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref TaskDefinition
      DesiredCount: 1
      DeploymentController:
        Type: ECS
      DeploymentConfiguration:
        Strategy: ROLLING
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
  ImageParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /cli-app/image
      Type: String
      Value: !Ref ImageUri
  GreetingParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /cli-app/greeting
      Type: String
      Value: !Ref Greeting
Outputs:
  ApiEndpoint:
    Value: https://cli-app.example.com
`;

export interface SmallAppOptions {
  /** The template text (default SMALL_APP_TEMPLATE). */
  template?: string;
  /** environments.gamma.parameters, as YAML flow mapping entries ("Greeting: hi"). */
  parameters?: string;
  /** environments.gamma.bakeMinutes (default 0: no bake). */
  bakeMinutes?: number;
}

/** Writes the small app into a fresh temporary folder and returns the folder. */
export function smallApp(opts: SmallAppOptions = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dpra-cli-deploy-"));
  writeFileSync(
    path.join(dir, "dpra.yaml"),
    [
      "name: cli-app",
      "capacity:",
      "  script: load.js",
      "environments:",
      "  gamma:",
      `    account: "${MOTO_ACCOUNT}"`,
      `    roleArn: arn:aws:iam::${MOTO_ACCOUNT}:role/dpra-deploy`,
      `    region: ${SMALL_APP_REGION}`,
      `    stackName: ${SMALL_APP_STACK}`,
      "    template: template.yaml",
      `    bakeMinutes: ${opts.bakeMinutes ?? 0}`,
      "    monitoringMinutes: 0",
      "    pollSeconds: 1",
      "    alarms: [cli-app-5xx]",
      "    deployment:",
      "      strategy: rolling",
      ...(opts.parameters ? [`    parameters: { ${opts.parameters} }`] : []),
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "package.json"), '{"name":"cli-app","private":true}\n');
  writeFileSync(path.join(dir, "load.js"), "export default function () {}\n");
  writeFileSync(path.join(dir, "template.yaml"), opts.template ?? SMALL_APP_TEMPLATE);
  return dir;
}

/**
 * Creates the small app's alarm (`cli-app-5xx`) in moto: a real app's template defines it, but moto
 * skips CloudWatch alarm resources of a template.
 */
export async function putSmallAppAlarm(server: Pick<MotoServer, "endpoint">): Promise<void> {
  const cw = new CloudWatchClient(motoClientConfig(server, SMALL_APP_REGION));
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: "cli-app-5xx",
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_Target_5XX_Count",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    }),
  );
}
