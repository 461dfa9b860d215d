/**
 * The module surface as the Dagger engine would register it, read offline by the TypeScript SDK's
 * own introspector (the `scan` that `introspection_entrypoint.js` runs under DRY_RUN=1), and reduced
 * to a stable snapshot: objects, functions, arguments, types, defaults, descriptions, cache policy.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./fixtures.js";

const SDK_DIST = path.join(repoRoot, "node_modules", "@dagger.io", "dagger", "dist", "src");

export interface SurfaceArgument {
  name: string;
  type: string;
  description: string;
  optional: boolean;
  default?: unknown;
  defaultPath?: string;
  ignore?: string[];
}

export interface SurfaceFunction {
  name: string;
  description: string;
  returns: string;
  cache?: string;
  check?: boolean;
  arguments: SurfaceArgument[];
}

export interface SurfaceObject {
  name: string;
  description: string;
  /** The constructor's arguments (`dagger call --source=. ...`), when the object declares a constructor. */
  constructorArguments?: SurfaceArgument[];
  fields: Array<{ name: string; type: string; description: string }>;
  functions: SurfaceFunction[];
}

export interface Surface {
  module: string;
  description: string;
  objects: SurfaceObject[];
}

/** A Dagger module in this repository: its name (from dagger.json) and its source folder. */
export interface ModuleDir {
  name: string;
  dir: string;
  srcDir: string;
}

/** The root module, the repository's own CI module (dagger/) and every module under modules/. */
export function listModules(): ModuleDir[] {
  const modules: ModuleDir[] = [
    { name: "dpra", dir: repoRoot, srcDir: path.join(repoRoot, "src") },
    { name: "dpra-ci", dir: path.join(repoRoot, "dagger"), srcDir: path.join(repoRoot, "dagger", "src") },
  ];
  const modulesDir = path.join(repoRoot, "modules");
  if (existsSync(modulesDir)) {
    for (const entry of readdirSync(modulesDir).sort()) {
      const dir = path.join(modulesDir, entry);
      if (existsSync(path.join(dir, "dagger.json"))) modules.push({ name: entry, dir, srcDir: path.join(dir, "src") });
    }
  }
  return modules;
}

let clientFile: string | undefined;

/** The SDK's client typings saved under a name ending in client.gen.ts, as the introspector requires. */
function clientGenFile(): string {
  if (!clientFile) {
    const dir = mkdtempSync(path.join(tmpdir(), "dpra-surface-"));
    clientFile = path.join(dir, "client.gen.ts");
    copyFileSync(path.join(SDK_DIST, "api", "client.gen.d.ts"), clientFile);
  }
  return clientFile;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return /\.m?ts$/.test(name) ? [p] : [];
  });
}

interface TypeDef {
  kind: string;
  name?: string;
  typeDef?: TypeDef;
}

/** The SDK introspector's own result for a module (the DaggerModule the runtime invokes functions with). */
export async function scanModule(module: ModuleDir): Promise<unknown> {
  const { scan } = (await import(pathToFileURL(path.join(SDK_DIST, "module", "introspector", "index.js")).href)) as {
    scan: (files: string[], name: string, load: boolean) => Promise<unknown>;
  };
  return scan([...tsFiles(module.srcDir), clientGenFile()], module.name, false);
}

/** The SDK's own module runtime files (dist/src/module/...), e.g. entrypoint/invoke.js. */
export function sdkModuleFile(...parts: string[]): string {
  return pathToFileURL(path.join(SDK_DIST, "module", ...parts)).href;
}

/** Introspects a module's source folder offline. Throws the introspector's own error on failure. */
export async function introspect(module: ModuleDir): Promise<Surface> {
  const result = (await scanModule(module)) as {
    description?: string;
    objects: Record<string, RawObject>;
  };
  return {
    module: module.name,
    description: result.description ?? "",
    objects: Object.values(result.objects)
      .map((o) => toObject(o, o.name === mainObjectName(module.name)))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

interface RawObject {
  name: string;
  description?: string;
  // The introspector's DaggerObject keeps the constructor as `_constructor` (`constructor` is the class's own).
  _constructor?: { arguments: Record<string, RawArgument> };
  methods: Record<string, RawFunction>;
  properties: Record<string, { name: string; alias?: string; description?: string; type?: TypeDef; isExposed: boolean }>;
}

interface RawFunction {
  name: string;
  description?: string;
  cache?: string;
  isCheck?: boolean;
  returnType?: TypeDef;
  arguments: Record<string, RawArgument>;
}

interface RawArgument {
  name: string;
  description?: string;
  type?: TypeDef;
  isOptional: boolean;
  defaultValue?: unknown;
  defaultPath?: string;
  ignore?: string[];
}

function toArgument(a: RawArgument): SurfaceArgument {
  return {
    name: a.name,
    type: typeName(a.type),
    description: a.description ?? "",
    optional: a.isOptional,
    ...(a.defaultValue !== undefined ? { default: a.defaultValue } : {}),
    ...(a.defaultPath !== undefined ? { defaultPath: a.defaultPath } : {}),
    ...(a.ignore !== undefined ? { ignore: a.ignore } : {}),
  };
}

/** The engine calls the main object's constructor for `dagger call [flags]`: the module name in PascalCase. */
function mainObjectName(moduleName: string): string {
  return moduleName
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function toObject(o: RawObject, main: boolean): SurfaceObject {
  return {
    name: o.name,
    description: o.description ?? "",
    // Only the main object's constructor is part of the API; one without arguments adds nothing.
    ...(main && o._constructor && Object.keys(o._constructor.arguments).length > 0 ? { constructorArguments: Object.values(o._constructor.arguments).map(toArgument) } : {}),
    // Only the properties the engine registers as fields (@func or @field); the others are the
    // object's kept state, not its API.
    fields: Object.values(o.properties)
      .filter((p) => p.isExposed)
      .map((p) => ({
        name: p.alias ?? p.name,
        type: typeName(p.type),
        description: p.description ?? "",
      })),
    functions: Object.values(o.methods).map((f) => ({
      name: f.name,
      description: f.description ?? "",
      returns: typeName(f.returnType),
      ...(f.cache !== undefined ? { cache: f.cache } : {}),
      ...(f.isCheck ? { check: true } : {}),
      arguments: Object.values(f.arguments).map(toArgument),
    })),
  };
}

function typeName(t: TypeDef | undefined): string {
  if (!t) return "unknown";
  switch (t.kind) {
    case "STRING_KIND":
      return "String";
    case "INTEGER_KIND":
      return "Int";
    case "FLOAT_KIND":
      return "Float";
    case "BOOLEAN_KIND":
      return "Boolean";
    case "VOID_KIND":
      return "Void";
    case "LIST_KIND":
      return `[${typeName(t.typeDef)}]`;
    default:
      return t.name ?? t.kind;
  }
}

/** Every function, argument, field and object that has no description, by path. */
export function missingDescriptions(surface: Surface): string[] {
  const missing: string[] = [];
  if (!surface.description.trim()) missing.push(`module ${surface.module} (top-of-file comment of src/index.ts)`);
  for (const o of surface.objects) {
    if (!o.description.trim()) missing.push(`object ${o.name}`);
    for (const a of o.constructorArguments ?? []) if (!a.description.trim()) missing.push(`${o.name}(${a.name}) (constructor argument)`);
    for (const f of o.fields) if (!f.description.trim()) missing.push(`${o.name}.${f.name} (field)`);
    for (const f of o.functions) {
      if (!f.description.trim()) missing.push(`${o.name}.${f.name}()`);
      for (const a of f.arguments) if (!a.description.trim()) missing.push(`${o.name}.${f.name}(${a.name}) (@param)`);
    }
  }
  return missing;
}

export function snapshotPath(module: ModuleDir): string {
  return path.join(repoRoot, "test", "surface", `${module.name}.json`);
}
