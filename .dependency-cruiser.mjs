// Dependency rules for src/, checked by `npm run lint` (and so by `npm test`) with dependency-cruiser.
// Rule names and comments are what a failing run prints, so each says what to do.

/**
 * The naming convention: a Dagger adapter is a file named `*.dagger.ts` (and the module's entry,
 * src/index.ts); every other src/ file is a core and runs without the Dagger SDK, so that its logic
 * is testable on its own.
 */
const ADAPTER = ["\\.dagger\\.ts$", "^src/index\\.ts$"];

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-folder-cycle",
      severity: "error",
      comment:
        "Two folders of src/ import each other (directly or round a loop). Move the shared type or function " +
        "to the folder that owns the concept, so that imports between folders run one way.",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "aws-imports-no-stages",
      severity: "error",
      comment:
        "src/aws/ is the AWS layer the stages are built on; it must not import src/stages/. Move what it " + "needs from the stage into src/aws/ (or pass it in as an argument).",
      from: { path: "^src/aws/" },
      to: { path: "^src/stages/" },
    },
    {
      name: "aws-is-the-sdk-layer",
      severity: "error",
      comment:
        "src/aws/ wraps the AWS SDK for everything above it; it reads config types, findings and the shared " +
        "helpers, and nothing that builds on it (actions, stages, release, deploy, publish). Move the logic up " +
        "into the action that owns it, or pass it in as an argument.",
      from: { path: "^src/aws/" },
      to: { path: "^src/", pathNot: ["^src/(aws|config|findings|cloudformation)/", "^src/(errors|digest)\\.ts$"] },
    },
    {
      name: "aws-imports-no-dagger",
      severity: "error",
      comment: "src/aws/ is a thin layer over the AWS SDK: no Dagger adapter lives in it or is imported by it. Put Dagger-typed code in a *.dagger.ts file outside src/aws/.",
      from: { path: "^src/aws/" },
      to: { path: [...ADAPTER, "^(node_modules/)?@dagger\\.io/dagger(/|$)", "^sdk/"] },
    },
    {
      name: "cores-import-no-dagger",
      severity: "error",
      comment:
        "Only Dagger adapters, files named *.dagger.ts, may import @dagger.io/dagger. Move the Dagger calls " +
        "or types into an adapter, or, if this file is a thin adapter, rename it to <name>.dagger.ts.",
      from: { path: "^src/", pathNot: ADAPTER },
      // Resolved through node_modules, or through tsconfig's paths to the generated sdk/ when present.
      to: { path: ["^(node_modules/)?@dagger\\.io/dagger(/|$)", "^sdk/"] },
    },
    {
      name: "cores-import-no-adapter",
      severity: "error",
      comment:
        "A core (a src/ file not named *.dagger.ts) imports a Dagger adapter's values, and so the Dagger SDK at " +
        "run time. Import only its types (import type), move the value into a core, or rename this file to <name>.dagger.ts.",
      from: { path: "^src/", pathNot: ADAPTER },
      to: { path: ADAPTER, dependencyTypesNot: ["type-only"] },
    },
  ],
  required: [
    {
      name: "adapters-use-dagger",
      severity: "error",
      comment:
        "A file named *.dagger.ts is a Dagger adapter, yet it imports neither @dagger.io/dagger nor another adapter: " +
        "it is a core. Rename it to <name>.ts, so that the name tells the truth.",
      module: { path: "^(.+)\\.dagger\\.ts$" },
      // Another adapter, not the file itself (a required rule counts a module matching `to` as satisfied).
      to: { path: ["^(node_modules/)?@dagger\\.io/dagger(/|$)", "^sdk/", "^(?!$1\\.dagger\\.ts$).+\\.dagger\\.ts$"] },
    },
  ],
  options: {
    // The SDK is a leaf: its own imports are none of these rules' business.
    doNotFollow: { path: ["node_modules", "^sdk/"] },
    // Type-only imports couple folders as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
