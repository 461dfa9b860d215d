// Verification level 4: fixture unit test of the CloudFormation template reader.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCloudFormationTemplate } from "../../src/config/template.js";
import { ConfigError } from "../../src/config/errors.js";

describe("parseCloudFormationTemplate", () => {
  it("resolves every short-form tag to its long form", () => {
    const text = [
      "Conditions:",
      "  IsProd: !Equals [!Ref Env, prod]",
      "  NotProd: !Not [!Condition IsProd]",
      "  Both: !And [!Condition IsProd, !Or [!Condition NotProd, !Condition IsProd]]",
      "Resources:",
      "  B:",
      "    Type: AWS::S3::Bucket",
      "    Properties:",
      "      Name: !Sub '${AWS::StackName}-b'",
      "      A: !GetAtt R.Arn",
      "      I: !If [IsProd, !Join ['-', [a, b]], !Select [0, !Split [',', 'x,y']]]",
      "      M: !FindInMap [M, !Ref 'AWS::Region', k]",
      "      V: !ImportValue shared",
      "      E: !Base64 hi",
      "      C: !Cidr [10.0.0.0/16, 2, 8]",
      "      Z: !GetAZs ''",
    ].join("\n");
    const t = parseCloudFormationTemplate(text, "t.yaml");
    expect(t.Conditions).toEqual({
      IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      NotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
      Both: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Or": [{ Condition: "NotProd" }, { Condition: "IsProd" }] }] },
    });
    expect(t.Resources?.["B"]?.["Properties"]).toEqual({
      Name: { "Fn::Sub": "${AWS::StackName}-b" },
      A: { "Fn::GetAtt": ["R", "Arn"] },
      I: { "Fn::If": ["IsProd", { "Fn::Join": ["-", ["a", "b"]] }, { "Fn::Select": [0, { "Fn::Split": [",", "x,y"] }] }] },
      M: { "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "k"] },
      V: { "Fn::ImportValue": "shared" },
      E: { "Fn::Base64": "hi" },
      C: { "Fn::Cidr": ["10.0.0.0/16", 2, 8] },
      Z: { "Fn::GetAZs": "" },
    });
  });

  it("reads JSON templates", () => {
    const t = parseCloudFormationTemplate(
      JSON.stringify({ Parameters: { P: { Type: "String", Default: "x" } }, Outputs: { O: { Value: { Ref: "P" }, Condition: "C" } } }),
      "t.json",
    );
    expect(t.Parameters?.["P"]?.Default).toBe("x");
    expect(t.Outputs?.["O"]?.Condition).toBe("C");
  });

  it("names the file and field of a malformed part", () => {
    const run = () => parseCloudFormationTemplate("Parameters:\n  P:\n    Default: x\n", "infra/t.yaml");
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/infra\/t\.yaml .*Parameters\.P\.Type/);
  });

  it("refuses an unknown tag and YAML errors naming the file", () => {
    expect(() => parseCloudFormationTemplate("A: !Bogus x\n", "bad.yaml")).toThrow(/bad\.yaml/);
  });

  it("reads the bundled example template", () => {
    const text = readFileSync(new URL("../../examples/fruit-api/infra/template.yaml", import.meta.url), "utf8");
    const t = parseCloudFormationTemplate(text, "infra/template.yaml");
    expect(Object.keys(t.Parameters ?? {})).toContain("CanaryName");
  });
});
