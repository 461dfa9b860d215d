// The CloudFormation templates under the IaC folders that dpra.yaml names, found on the host with
// the same test as the IaC recipe (src/scan/cfn-lint-args.ts).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { hasTemplateExtension, isCfnTemplate } from "./cfn-lint-args.js";

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries.map(async (e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(full);
      return e.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
}

/** Templates (paths relative to `source`, `/`-separated, sorted) under the given folders of `source`. */
export async function findHostTemplates(source: string, roots: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    for (const file of (await walk(path.resolve(source, root))).filter(hasTemplateExtension)) {
      if (isCfnTemplate(await readFile(file, "utf8"))) found.add(path.relative(source, file).split(path.sep).join("/"));
    }
  }
  return [...found].sort();
}
