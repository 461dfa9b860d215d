import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIONS, BUILD_SERVICE, markDisagreement, markOf, STAGES, type Mark, type StageId } from "../../src/pipeline/model.js";
import { repoRoot } from "../support/fixtures.js";

// The DPRA document itself is the oracle: these tests read it, they do not restate it.
const DOC = readFileSync(path.resolve(repoRoot, "test", "fixtures", "dpra", "application-pipeline.md"), "utf8");

const COLOUR: Record<string, Mark> = { "#ff9900": "required", "#d4dada": "recommended" };
const CLUSTER_STAGE: Record<string, StageId | "build-service"> = {
  cluster_source: "source",
  cluster_build: "build",
  cluster_build_service: "build-service",
  cluster_beta: "beta",
  cluster_gamma: "gamma",
  cluster_prod: "prod",
};
const SECTION_STAGE: Record<string, StageId> = {
  Source: "source",
  "Pre-Commit hooks": "pre-commit",
  Build: "build",
  "Test (Beta)": "beta",
  "Test (Gamma)": "gamma",
  Prod: "prod",
};

interface DiagramNode {
  cluster: string;
  label: string;
  mark: Mark;
}
interface ProseAction {
  stage: StageId;
  heading: string;
  mark: Mark;
}

/** Nodes of the main pipeline diagram (the first graphviz block), with their cluster and colour. */
function diagramNodes(): DiagramNode[] {
  const start = DOC.indexOf("```graphviz");
  const end = DOC.indexOf("\n```", start + 10);
  const lines = DOC.slice(start, end).split("\n");
  const stack: string[] = [];
  const nodes: DiagramNode[] = [];
  for (const line of lines) {
    const open = /subgraph (\w+)\s*\{/.exec(line);
    if (open) {
      stack.push(open[1]!);
      continue;
    }
    if (/^\s*\}\s*$/.test(line)) {
      stack.pop();
      continue;
    }
    const node = /^\s*(\w+)\[label="([^"]+)" color="(#[0-9a-f]{6})"\]/.exec(line);
    const cluster = stack[stack.length - 1];
    if (node && cluster && cluster !== "cluster_legend") nodes.push({ cluster, label: node[2]!, mark: COLOUR[node[3]!]! });
  }
  return nodes;
}

/** `???+ required "Heading"` admonitions, by `## Section`. */
function proseActions(): ProseAction[] {
  const out: ProseAction[] = [];
  let stage: StageId | undefined;
  for (const line of DOC.split("\n")) {
    const section = /^## (.+?)\s*$/.exec(line);
    if (section) {
      stage = SECTION_STAGE[section[1]!];
      continue;
    }
    const adm = /^\?\?\?\+ (required|recommended) "(.+)"\s*$/.exec(line);
    if (adm && stage) out.push({ stage, heading: adm[2]!, mark: adm[1] as Mark });
  }
  return out;
}

describe("DPRA pipeline model against the DPRA document", () => {
  it("reads a sane amount of the document (guards the parsers themselves)", () => {
    expect(proseActions()).toHaveLength(32);
    expect(diagramNodes()).toHaveLength(31);
    expect(new Set(proseActions().map((a) => a.stage))).toEqual(new Set(STAGES.map((s) => s.id)));
  });

  it("has exactly one action per prose heading of each stage, with the prose mark", () => {
    const prose = proseActions();
    expect(ACTIONS.map((a) => `${a.stage}: ${a.proseHeading} = ${a.proseMark}`).sort()).toEqual(prose.map((p) => `${p.stage}: ${p.heading} = ${p.mark}`).sort());
  });

  it("has every node of the diagram, with the diagram colour as its mark", () => {
    for (const node of diagramNodes()) {
      const stage = CLUSTER_STAGE[node.cluster];
      expect(stage, `cluster ${node.cluster}`).toBeDefined();
      if (stage === "build-service") {
        const action = ACTIONS.find((a) => a.group === BUILD_SERVICE.id && a.diagramLabel === node.label);
        expect(action, `build service node ${node.label}`).toBeDefined();
        expect(action!.diagramMark).toBe(node.mark);
      } else if (node.label === BUILD_SERVICE.diagramLabel) {
        expect(BUILD_SERVICE.diagramMark).toBe(node.mark);
      } else {
        const action = ACTIONS.find((a) => a.stage === stage && a.diagramLabel === node.label && !a.group);
        expect(action, `${stage} node ${node.label}`).toBeDefined();
        expect(action!.diagramMark, `${stage} ${node.label}`).toBe(node.mark);
      }
    }
    // And nothing claims a diagram label the diagram does not have.
    const labels = new Set(diagramNodes().map((n) => `${n.label}`));
    for (const a of ACTIONS.filter((x) => x.diagramLabel)) expect(labels.has(a.diagramLabel!), a.id).toBe(true);
  });

  it("marks each action required when the prose or the diagram requires it, and names the two disagreements", () => {
    expect(markOf(ACTIONS.find((a) => a.id === "prod.approval")!)).toBe("required");
    expect(markOf(ACTIONS.find((a) => a.id === "prod.synthetic-tests")!)).toBe("required");
    expect(markOf(ACTIONS.find((a) => a.id === "beta.db-deploy")!)).toBe("recommended");
    expect(markOf(ACTIONS.find((a) => a.id === "gamma.capacity-tests")!)).toBe("recommended");
    expect(ACTIONS.filter((a) => markDisagreement(a)).map((a) => a.id)).toEqual(["prod.approval", "prod.synthetic-tests"]);
    expect(markDisagreement(ACTIONS.find((a) => a.id === "prod.approval")!)).toBe("the DPRA prose marks it required, its diagram recommended");
  });

  it("gives every action a unique ID and a kind that fits its stage", () => {
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
    for (const a of ACTIONS) {
      const expected = a.stage === "source" ? "input" : a.stage === "pre-commit" ? "local" : "run";
      expect(a.kind, a.id).toBe(expected);
    }
  });
});
