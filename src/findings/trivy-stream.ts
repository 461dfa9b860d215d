import type { Readable } from "node:stream";
import { ReportError } from "./errors.js";
import type { FindingSet } from "./model.js";
import { streamJson, type JsonPath, type Selection } from "./stream-json.js";
import { TRIVY_FINDING_KEYS, TRIVY_RESULT_FIELDS, TrivyCollector, type TrivyFindingKey } from "./trivy.js";

const FINDING_KEYS = new Set<string>(TRIVY_FINDING_KEYS);
const RESULT_FIELDS = new Set<string>(TRIVY_RESULT_FIELDS);

/**
 * Streams a trivy JSON report: only `Results[].{Target,Class,Type}` and the elements of the finding
 * arrays are materialised, one at a time, and each is turned into a compact finding at once.
 * `Packages` (the largest part with `--list-all-pkgs`), `Metadata` and descriptions kept by trivy are
 * scanned past, never built.
 */
export async function parseTrivyStream(source: Readable | AsyncIterable<Buffer>, file: string): Promise<FindingSet> {
  const collector = new TrivyCollector(file);
  let sawSchemaVersion = false;
  let toolVersion: string | undefined;
  const select = (path: JsonPath, kind: "object" | "array" | "scalar"): Selection => {
    switch (path.length) {
      case 0:
        if (kind !== "object") throw new ReportError(file, "(root)", "not a valid trivy JSON report: expected an object at the top level");
        return "descend";
      case 1:
        if (path[0] === "SchemaVersion") return "emit";
        // Newer trivy releases state their version: "Trivy": {"Version": "0.74.0"}.
        if (path[0] === "Trivy") return kind === "object" ? "descend" : "skip";
        return path[0] === "Results" && kind === "array" ? "descend" : "skip";
      case 2:
        if (path[0] === "Trivy") return path[1] === "Version" ? "emit" : "skip";
        if (kind !== "object") throw new ReportError(file, `Results[${path[1]}]`, "not a valid trivy JSON report: expected an object for each result");
        return "descend";
      case 3: {
        const key = String(path[2]);
        if (FINDING_KEYS.has(key)) return kind === "array" ? "descend" : "skip";
        return RESULT_FIELDS.has(key) ? "emit" : "skip";
      }
      default:
        return "emit";
    }
  };
  await streamJson(
    source,
    {
      select,
      value(path, value) {
        if (path.length === 1) sawSchemaVersion = true;
        else if (path[0] === "Trivy") {
          if (path[1] === "Version" && typeof value === "string" && value) toolVersion = value;
        } else if (path.length === 3) collector.resultField(path[1] as number, String(path[2]), value);
        else if (path.length === 4) collector.item(path[1] as number, path[2] as TrivyFindingKey, path[3] as number, value);
      },
      end(path) {
        if (path.length === 2) collector.endResult(path[1] as number);
      },
    },
    file,
  );
  if (!sawSchemaVersion) throw new ReportError(file, "SchemaVersion", "not a valid trivy JSON report: SchemaVersion is missing");
  const set = collector.finish();
  return toolVersion ? { ...set, toolVersion } : set;
}
