/** One problem in a config file: where, what was expected, what was found. */
export interface ConfigProblem {
  /** YAML path such as `environments.prod.waves[0].regions`. */
  path: string;
  message: string;
  /** 1-based line and column in the file, when the node exists there. */
  line?: number;
  column?: number;
  found?: string;
}

/** Thrown when a config file is unreadable or invalid. Its message lists every problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = "ConfigError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

function formatProblems(file: string, problems: ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
    const found = p.found !== undefined ? ` (found ${p.found})` : "";
    return `  - ${where} ${p.path}: ${p.message}${found}`;
  });
  const n = problems.length;
  return `${file} is invalid (${n} problem${n === 1 ? "" : "s"}):\n${lines.join("\n")}\nFix the listed fields; the JSON Schema in schema/dpra.schema.json gives completion in editors.`;
}
