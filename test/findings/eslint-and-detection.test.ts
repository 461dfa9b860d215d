import { describe, expect, it } from "vitest";
import { ReportError } from "../../src/findings/errors.js";
import { parseReport } from "../../src/findings/parse.js";

// The shape of `eslint --format json` (ESLint 9): absolute paths, severity 1/2, suppressedMessages.
const eslintReport = [
  {
    filePath: "/home/ci/app/src/server.ts",
    messages: [
      {
        ruleId: "no-unused-vars",
        severity: 2,
        message: "'x' is assigned a value but never used.",
        line: 3,
        column: 7,
        endLine: 3,
        endColumn: 8,
        nodeType: "Identifier",
        messageId: "unusedVar",
      },
      { ruleId: "prefer-const", severity: 1, message: "'y' is never reassigned. Use 'const' instead.", line: 4, column: 5, fix: { range: [40, 43], text: "const" } },
    ],
    suppressedMessages: [
      { ruleId: "no-console", severity: 2, message: "Unexpected console statement.", line: 9, column: 1, suppressions: [{ kind: "directive", justification: "CLI output" }] },
    ],
    errorCount: 1,
    fatalErrorCount: 0,
    warningCount: 1,
    fixableErrorCount: 0,
    fixableWarningCount: 1,
    usedDeprecatedRules: [],
  },
  {
    filePath: "/home/ci/app/src/broken.ts",
    messages: [{ ruleId: null, fatal: true, severity: 2, message: "Parsing error: ';' expected.", line: 2, column: 10 }],
    suppressedMessages: [],
    errorCount: 1,
    fatalErrorCount: 1,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  },
];

describe("ESLint JSON", () => {
  it("maps errors to high, warnings to medium, parse errors to a rule of their own, directives to suppressed", () => {
    const set = parseReport(JSON.stringify(eslintReport), { root: "/home/ci/app" });
    expect(set).toMatchObject({ tool: "eslint", format: "eslint-json" });
    expect(set.findings.map((f) => [f.rule, f.severity, f.location.path, f.suppressed?.kind ?? "-"])).toEqual([
      ["no-unused-vars", "high", "src/server.ts", "-"],
      ["prefer-const", "medium", "src/server.ts", "-"],
      ["no-console", "high", "src/server.ts", "directive"],
      ["fatal-parse-error", "high", "src/broken.ts", "-"],
    ]);
    expect(set.findings[1]!.fixAvailable).toBe(true);
    expect(set.findings.every((f) => f.category === "quality")).toBe(true);
  });

  it("keeps fingerprints when lines move or the checkout folder changes", () => {
    const a = parseReport(JSON.stringify(eslintReport), { root: "/home/ci/app" });
    const moved = structuredClone(eslintReport);
    moved[0]!.filePath = "/tmp/other/src/server.ts";
    moved[0]!.messages[0]!.line = 30;
    const b = parseReport(JSON.stringify(moved), { root: "/tmp/other" });
    expect(b.findings[0]!.fingerprint).toBe(a.findings[0]!.fingerprint);
  });
});

describe("format detection and errors", () => {
  it("names the file, line and column of invalid JSON", () => {
    const err = (() => {
      try {
        parseReport('{\n  "runs": [\n    }\n', { file: "broken.sarif" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).file).toBe("broken.sarif");
    expect((err as Error).message).toBe(
      'broken.sarif: at line 3, column 5 (runs[0]): not valid JSON: expected a value but found "}"; check that the tool finished writing the report',
    );
    // A truncated file: the end of input, with the path that was open.
    expect(() => parseReport('{"version": "2.1.0", "runs": [{"tool": ', { file: "cut.sarif" })).toThrow(
      /^cut\.sarif: at line 1, column \d+ \(runs\[0\]\): not valid JSON: unexpected end of the file/,
    );
  });

  it("lists the supported formats for unknown JSON", () => {
    expect(() => parseReport('{"hello": "world"}', { file: "x.json" })).toThrow(/x\.json: at \(root\): unrecognised report format; supported: gitleaks JSON/);
    expect(() => parseReport('[{"a": 1}]', { file: "y.json" })).toThrow(/y\.json: at \[0\]: unrecognised report/);
  });

  it("lets a format hint force the parser and rejects unknown formats", () => {
    expect(parseReport("[]", { format: "eslint-json" })).toEqual({ tool: "eslint", format: "eslint-json", findings: [], toolErrors: [] });
    expect(() => parseReport("[]", { format: "pdf", file: "r" })).toThrow(/r: unknown report format "pdf"/);
  });

  it("guesses the tool of an empty array from the file name", () => {
    expect(parseReport("[]", { file: "reports/eslint.json" }).tool).toBe("eslint");
    expect(parseReport("[]", { file: "reports/leaks.json" }).tool).toBe("gitleaks");
  });
});

describe("cfn-lint JSON", () => {
  // The shape of `cfn-lint --format json` (v1): Rule, Location with Start/End/Path, Level, Message.
  const matches = [
    {
      Filename: "infra/app.yaml",
      Id: "0b6a1c4e-0000-4000-8000-000000000001",
      Level: "Error",
      Location: { Start: { ColumnNumber: 7, LineNumber: 40 }, End: { ColumnNumber: 14, LineNumber: 40 }, Path: ["Resources", "ApiFunction", "Properties", "Runtime"] },
      Message: "Deprecated runtime 'nodejs16.x' specified.",
      ParentId: null,
      Rule: {
        Id: "E2531",
        ShortDescription: "Check if EOL Lambda Function Runtimes are used",
        Description: "",
        Source: "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html",
      },
    },
    {
      Filename: "infra/app.yaml",
      Level: "Warning",
      Location: { Start: { ColumnNumber: 3, LineNumber: 12 }, End: { ColumnNumber: 9, LineNumber: 12 }, Path: ["Parameters", "Stage"] },
      Message: "Parameter Stage not used.",
      Rule: { Id: "W2001", ShortDescription: "Check if Parameters are Used" },
    },
    {
      Filename: "infra/app.yaml",
      Level: "Informational",
      Location: { Start: { ColumnNumber: 3, LineNumber: 50 }, Path: ["Resources", "Table"] },
      Message: "The default action on deletion is Delete.",
      Rule: { Id: "I3011", ShortDescription: "Check stateful resources have a set UpdateReplacePolicy/DeletionPolicy" },
    },
  ];

  it("maps Error, Warning and Informational and keeps the template path in the identity", () => {
    const set = parseReport(JSON.stringify(matches), { file: "cfn-lint.json" });
    expect(set).toMatchObject({ tool: "cfn-lint", format: "cfn-lint-json" });
    expect(set.findings.map((f) => [f.rule, f.category, f.severity, f.location.startLine])).toEqual([
      ["E2531", "misconfiguration", "high", 40],
      ["W2001", "misconfiguration", "medium", 12],
      ["I3011", "misconfiguration", "info", 50],
    ]);
    const moved = structuredClone(matches);
    moved[0]!.Location.Start.LineNumber = 90;
    expect(parseReport(JSON.stringify(moved)).findings[0]!.fingerprint).toBe(set.findings[0]!.fingerprint);
  });
});
