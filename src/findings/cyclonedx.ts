import { z } from "zod";
import type { Finding, FindingSet, Severity } from "./model.js";
import { validate } from "./json.js";
import { SEVERITY_RANK, fingerprintOf, firstLine, severityFromWord } from "./normalize.js";

const Rating = z.object({ severity: z.string().optional(), score: z.number().optional(), source: z.object({ name: z.string().optional() }).optional() });

const Vulnerability = z.object({
  id: z.string().min(1),
  source: z.object({ name: z.string().optional(), url: z.string().optional() }).optional(),
  ratings: z.array(Rating).default([]),
  description: z.string().optional(),
  recommendation: z.string().optional(),
  affects: z.array(z.object({ ref: z.string() })).default([]),
  advisories: z.array(z.object({ url: z.string().optional() })).optional(),
  analysis: z.object({ state: z.string().optional(), justification: z.string().optional(), detail: z.string().optional() }).optional(),
});

const Component = z.object({ "bom-ref": z.string().optional(), name: z.string(), version: z.string().optional(), purl: z.string().optional() });

const Bom = z.object({
  bomFormat: z.literal("CycloneDX"),
  specVersion: z.string(),
  components: z.array(Component).default([]),
  vulnerabilities: z.array(Vulnerability).default([]),
  metadata: z
    .object({
      component: z.object({ name: z.string().optional() }).optional(),
      // CycloneDX 1.5+: tools.components[]; 1.4: tools[] (both carry name and version).
      tools: z
        .union([
          z.object({ components: z.array(z.object({ name: z.string().optional(), version: z.string().optional() })).optional() }),
          z.array(z.object({ name: z.string().optional(), version: z.string().optional() })),
        ])
        .optional(),
    })
    .optional(),
});

export function isCycloneDx(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).bomFormat === "CycloneDX";
}

// VEX states that mean "this does not affect us": reported, never blocking.
const SUPPRESSING_STATES = new Set(["not_affected", "false_positive", "resolved", "resolved_with_pedigree"]);

function severityOf(v: z.infer<typeof Vulnerability>): Severity {
  // The rating from the advisory's own source is the one trivy reports as Severity; else the highest.
  const own = v.ratings.find((r) => r.source?.name !== undefined && r.source.name === v.source?.name && r.severity);
  if (own?.severity) return severityFromWord(own.severity, "low");
  const all = v.ratings.filter((r) => r.severity).map((r) => severityFromWord(r.severity, "low"));
  return all.sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])[0] ?? "low";
}

/** CycloneDX SBOM with `vulnerabilities` (trivy `--format cyclonedx --scanners vuln`, 1.4 to 1.7). */
export function parseCycloneDx(value: unknown, file: string): FindingSet {
  const bom = validate(Bom, value, file, "CycloneDX");
  const components = new Map(bom.components.filter((c) => c["bom-ref"]).map((c) => [c["bom-ref"]!, c]));
  const target = bom.metadata?.component?.name;
  const findings: Finding[] = [];
  for (const v of bom.vulnerabilities) {
    const fixedVersion = /to version (.+)$/i.exec(v.recommendation ?? "")?.[1]?.trim();
    const refs = v.affects.length > 0 ? v.affects.map((a) => a.ref) : [""];
    for (const ref of refs) {
      const c = components.get(ref);
      const pkg = c?.name ?? ref;
      const state = v.analysis?.state;
      findings.push({
        tool: "trivy",
        category: "vulnerability",
        rule: v.id,
        severity: severityOf(v),
        message: `${pkg}${c?.version ? ` ${c.version}` : ""}: ${firstLine(v.description) || v.id}${fixedVersion ? ` (fixed in ${fixedVersion})` : ""}`,
        location: { path: target, package: pkg || undefined, version: c?.version },
        fingerprint: fingerprintOf("cyclonedx", "vulnerability", c?.purl?.replace(/@[^@]*$/, "") ?? pkg, v.id),
        fixAvailable: fixedVersion !== undefined,
        ...(fixedVersion ? { fixedVersion } : {}),
        helpUri: v.advisories?.[0]?.url,
        ...(state && SUPPRESSING_STATES.has(state) ? { suppressed: { kind: "external", justification: [state, v.analysis?.justification].filter(Boolean).join(": ") } } : {}),
      });
    }
  }
  const tools = bom.metadata?.tools;
  const toolVersion = (Array.isArray(tools) ? tools : (tools?.components ?? [])).find((t) => t.name?.toLowerCase() === "trivy")?.version;
  return { tool: "trivy", format: "cyclonedx", findings, toolErrors: [], ...(toolVersion ? { toolVersion } : {}) };
}
