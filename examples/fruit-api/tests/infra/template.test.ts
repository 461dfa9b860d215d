import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseTemplate, walk, type Template } from "./cfn-yaml.js";

// cfn-lint is a Python tool and not installable here; these tests check the template's structure,
// its references, and the contract the pipeline's deploy step relies on.
const template: Template = parseTemplate(readFileSync(new URL("../../infra/template.yaml", import.meta.url), "utf8"));
const dpra = parse(readFileSync(new URL("../../dpra.yaml", import.meta.url), "utf8"));
const resources = template.Resources;
const props = (id: string) => {
  const resource = resources[id];
  if (!resource) throw new Error(`no resource ${id}`);
  return resource.Properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const PSEUDO = new Set(["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"]);
const ALARMS = {
  HttpErrorRateAlarm: "http-5xx-rate",
  LatencyP95Alarm: "latency-p95",
  UnhealthyHostsAlarm: "unhealthy-hosts",
  CanarySuccessAlarm: "canary-success",
} as const;

describe("template structure", () => {
  it("declares typed resources with properties", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    for (const [id, resource] of Object.entries(resources)) {
      expect(resource.Type, id).toMatch(/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/);
      if (resource.Type !== "AWS::EC2::InternetGateway" && resource.Type !== "AWS::ECS::Cluster") expect(resource.Properties, id).toBeTypeOf("object");
    }
  });

  it("refers only to parameters, resources, conditions and attributes that exist", () => {
    const names = new Set([...Object.keys(template.Parameters), ...Object.keys(resources), ...PSEUDO]);
    const problems: string[] = [];
    for (const node of walk(template)) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) continue;
      const fn = node as Record<string, unknown>;
      if (typeof fn.Ref === "string" && !names.has(fn.Ref)) problems.push(`Ref ${fn.Ref}`);
      const getAtt = fn["Fn::GetAtt"];
      if (Array.isArray(getAtt) && !(getAtt[0] in resources)) problems.push(`GetAtt ${getAtt.join(".")}`);
      const ifFn = fn["Fn::If"];
      if (Array.isArray(ifFn) && !(ifFn[0] in template.Conditions)) problems.push(`If ${ifFn[0]}`);
      const sub = fn["Fn::Sub"];
      if (typeof sub === "string") {
        for (const [, ref] of sub.matchAll(/\$\{([^}!]+)\}/g)) {
          const [head, attr] = (ref as string).split(".");
          if (attr === undefined ? !names.has(head as string) : !((head as string) in resources)) problems.push(`Sub \${${ref}}`);
        }
      }
    }
    for (const [id, resource] of Object.entries(resources)) {
      for (const dep of [resource.DependsOn ?? []].flat()) if (!(dep in resources)) problems.push(`${id} DependsOn ${dep}`);
      if (resource.Condition && !(resource.Condition in template.Conditions)) problems.push(`${id} Condition ${resource.Condition}`);
    }
    expect(problems).toEqual([]);
  });

  it("refuses unknown YAML tags instead of silently dropping them", () => {
    expect(() => parseTemplate("Resources:\n  X:\n    Type: !Reff Y\n")).toThrow(/not valid CloudFormation YAML/);
  });
});

describe("parameters", () => {
  const imagePattern = new RegExp(template.Parameters.ImageUri?.AllowedPattern as string);
  const digest = "a".repeat(64);

  it("accepts only images pinned by digest", () => {
    expect(imagePattern.test(`111111111111.dkr.ecr.us-east-1.amazonaws.com/fruit-api@sha256:${digest}`)).toBe(true);
    expect(imagePattern.test(`111111111111.dkr.ecr.us-east-1.amazonaws.com/fruit-api:1.2.3@sha256:${digest}`)).toBe(true);
    expect(imagePattern.test("111111111111.dkr.ecr.us-east-1.amazonaws.com/fruit-api:latest")).toBe(false);
    expect(imagePattern.test(`fruit-api@sha256:${digest}`)).toBe(false);
    expect(imagePattern.test(`111111111111.dkr.ecr.us-east-1.amazonaws.com/fruit-api@sha256:${digest.slice(1)}`)).toBe(false);
  });

  it("leaves only the pipeline-supplied values without a default", () => {
    const required = Object.entries(template.Parameters).filter(([, p]) => !("Default" in p)).map(([name]) => name);
    // The image is the only value the pipeline supplies; the canary code is not a stack parameter
    // (the pipeline owns the canary).
    expect(required.sort()).toEqual(["ImageUri"]);
  });

  it("knows every parameter that dpra.yaml sets, with allowed values", () => {
    for (const env of ["gamma", "prod"]) {
      for (const [name, value] of Object.entries(dpra.environments[env].parameters as Record<string, unknown>)) {
        const parameter = template.Parameters[name];
        expect(parameter, `${env} parameter ${name}`).toBeDefined();
        if (parameter?.AllowedValues) expect(parameter.AllowedValues, `${env} ${name}`).toContain(String(value));
      }
    }
  });
});

describe("alarms", () => {
  it.each(Object.entries(ALARMS))("%s is named after the stack and output with its ARN", (id, suffix) => {
    expect(resources[id]?.Type).toBe("AWS::CloudWatch::Alarm");
    expect(props(id).AlarmName).toEqual({ "Fn::Sub": `\${AWS::StackName}-${suffix}` });
    expect(template.Outputs[`${id}Arn`]?.Value).toEqual({ "Fn::GetAtt": [id, "Arn"] });
  });

  it("outputs all alarm names for the deploy step to watch", () => {
    expect(template.Outputs.AlarmNames?.Value).toEqual({ "Fn::Join": [",", Object.keys(ALARMS).map((id) => ({ Ref: id }))] });
  });

  it("measures the 5xx share of all requests, target and load balancer errors alike", () => {
    const metrics = props("HttpErrorRateAlarm").Metrics as { Id: string; Expression?: string; ReturnData: boolean; MetricStat?: { Metric: { MetricName: string } } }[];
    expect(metrics.filter((m) => m.ReturnData).map((m) => m.Id)).toEqual(["errorRate"]);
    expect(metrics.find((m) => m.Id === "errorRate")?.Expression).toMatch(/100 \* \(FILL\(target5xx, 0\) \+ FILL\(elb5xx, 0\)\) \/ requests/);
    expect(metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"]);
    expect(props("HttpErrorRateAlarm").Threshold).toEqual({ Ref: "ErrorRateThresholdPercent" });
  });

  it("watches p95 latency with the same limit as the k6 capacity gate", () => {
    const latency = props("LatencyP95Alarm");
    expect(latency).toMatchObject({ MetricName: "TargetResponseTime", ExtendedStatistic: "p95", Threshold: { Ref: "LatencyP95ThresholdSeconds" } });
    expect(Number(template.Parameters.LatencyP95ThresholdSeconds?.Default) * 1000).toBe(dpra.capacity.thresholds.p95Ms);
  });

  it("counts unhealthy hosts in both the blue and the green target group", () => {
    const dims = (props("UnhealthyHostsAlarm").Metrics as { MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[])
      .flatMap((m) => m.MetricStat?.Metric.Dimensions.filter((d) => d.Name === "TargetGroup").map((d) => d.Value) ?? []);
    expect(dims).toEqual([{ "Fn::GetAtt": ["BlueTargetGroup", "TargetGroupFullName"] }, { "Fn::GetAtt": ["GreenTargetGroup", "TargetGroupFullName"] }]);
  });

  it("follows the canary's success rate", () => {
    expect(props("CanarySuccessAlarm")).toMatchObject({
      Namespace: "CloudWatchSynthetics",
      MetricName: "SuccessPercent",
      Dimensions: [{ Name: "CanaryName", Value: { Ref: "CanaryName" } }],
      ComparisonOperator: "LessThanThreshold",
    });
  });
});

describe("blue/green deployment", () => {
  const service = () => props("Service");

  it("uses ECS native blue/green with a bake time and rolls back on every alarm", () => {
    expect(service().DeploymentController).toEqual({ Type: "ECS" });
    expect(service().DeploymentConfiguration).toEqual({
      Strategy: "BLUE_GREEN",
      BakeTimeInMinutes: { Ref: "BakeTimeInMinutes" },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
      Alarms: { Enable: true, Rollback: true, AlarmNames: Object.keys(ALARMS).map((id) => ({ Ref: id })) },
    });
  });

  it("shifts traffic between the blue and green target groups through the listener rules", () => {
    const [lb] = service().LoadBalancers as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(lb).toMatchObject({
      ContainerName: "app",
      ContainerPort: dpra.environments.beta.port,
      TargetGroupArn: { Ref: "BlueTargetGroup" },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { Ref: "GreenTargetGroup" },
        ProductionListenerRule: { Ref: "ProductionListenerRule" },
        TestListenerRule: { Ref: "TestListenerRule" },
        RoleArn: { "Fn::GetAtt": ["EcsInfrastructureRole", "Arn"] },
      },
    });
    expect(props("EcsInfrastructureRole").ManagedPolicyArns).toEqual([
      { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers" },
    ]);
    for (const rule of ["ProductionListenerRule", "TestListenerRule"]) {
      const actions = props(rule).Actions as { Type: string }[];
      expect(actions.map((a) => a.Type), rule).toEqual(["forward"]);
    }
  });

  it("health-checks the targets on the readiness endpoint the pipeline waits on", () => {
    for (const tg of ["BlueTargetGroup", "GreenTargetGroup"]) {
      expect(props(tg)).toMatchObject({ TargetType: "ip", Port: dpra.environments.beta.port, HealthCheckPath: dpra.environments.beta.healthPath });
    }
  });

  it("runs the image given by digest, on Fargate", () => {
    const task = props("TaskDefinition");
    expect(task.RequiresCompatibilities).toEqual(["FARGATE"]);
    expect(task.ContainerDefinitions[0]).toMatchObject({ Name: "app", Image: { Ref: "ImageUri" }, ReadonlyRootFilesystem: true });
    expect(service().LaunchType).toBe("FARGATE");
  });
});

describe("database", () => {
  it("is encrypted RDS PostgreSQL with an RDS-managed secret and IAM authentication", () => {
    expect(resources.Database).toMatchObject({ DeletionPolicy: "Snapshot", UpdateReplacePolicy: "Snapshot" });
    expect(props("Database")).toMatchObject({
      Engine: "postgres",
      ManageMasterUserPassword: true,
      EnableIAMDatabaseAuthentication: true,
      StorageEncrypted: true,
      PubliclyAccessible: false,
      DBName: { Ref: "DbName" },
    });
    expect(template.Parameters.DbName?.Default).toBe(dpra.database.name);
  });

  it("gives the app and the migration task the secret ARN, and the task role read access to exactly that secret", () => {
    const secret = { "Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"] };
    for (const task of ["TaskDefinition", "MigrationTaskDefinition"]) {
      const env = props(task).ContainerDefinitions[0].Environment as { Name: string; Value: unknown }[];
      expect(env, task).toContainEqual({ Name: "DB_SECRET_ARN", Value: secret });
      expect(env.map((e) => e.Name), task).toEqual(expect.arrayContaining(["PGHOST", "PGPORT", "PGDATABASE", "DB_SSL"]));
      expect(JSON.stringify(env), task).not.toMatch(/PASSWORD/i);
    }
    const statements = props("TaskRole").Policies[0].PolicyDocument.Statement;
    expect(statements).toEqual([{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret }]);
  });

  it("runs migrations with the app image's migrate entrypoint", () => {
    expect(props("MigrationTaskDefinition").ContainerDefinitions[0]).toMatchObject({
      Command: ["node", "dist/migrate.js"],
      Image: { "Fn::If": ["HasMigrationImage", { Ref: "MigrationImageUri" }, { Ref: "ImageUri" }] },
    });
    expect(template.Outputs.MigrationTaskDefinitionArn?.Value).toEqual({ Ref: "MigrationTaskDefinition" });
  });
});

describe("canary", () => {
  it("leaves the canary to the pipeline: no canary resource, its role and artifact location as outputs", () => {
    expect(Object.values(template.Resources).map((r) => r.Type)).not.toContain("AWS::Synthetics::Canary");
    expect(template.Outputs.CanaryRoleArn?.Value).toEqual({ "Fn::GetAtt": ["CanaryRole", "Arn"] });
    expect(template.Outputs.CanaryArtifactsLocation?.Value).toEqual({ "Fn::Sub": "s3://${CanaryArtifactsBucket}/runs" });
    expect(template.Parameters.CanaryName?.Default).toBe(dpra.synthetics.name);
  });
});

describe("outputs", () => {
  it("gives the endpoint URLs, the service and the database secret", () => {
    expect(template.Outputs.EndpointUrl?.Value).toEqual({ "Fn::Sub": "http://${LoadBalancer.DNSName}" });
    expect(template.Outputs.TestEndpointUrl?.Value).toEqual({ "Fn::Sub": "http://${LoadBalancer.DNSName}:8080" });
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(["ClusterName", "ServiceName", "ServiceArn", "DatabaseSecretArn", "CanaryName"]));
  });
});
