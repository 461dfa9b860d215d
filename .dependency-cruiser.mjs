// Dependency rules for src/, checked by `npm run lint` (and so by `npm test`) with dependency-cruiser.
// Rule names and comments are what a failing run prints, so each says what to do.

/**
 * The Dagger adapters: the only src/ files that may import @dagger.io/dagger (value or type). Every
 * other src/ file is a core and must run without the Dagger SDK, so its logic is testable on its own.
 * A new file that needs Dagger types or calls is an adapter: keep it thin and add it here.
 */
const DAGGER_ADAPTERS = [
  "src/index.ts",
  "src/actions/capacity-tests/dagger.ts",
  "src/actions/capacity-tests/k6.ts",
  "src/actions/db-deploy/container.ts",
  "src/actions/tests/suite.ts",
  "src/aws/credentials/secrets.ts",
  "src/actions/chaos-tests/gamma.ts",
  "src/actions/synthetic-tests/dagger.ts",
  "src/actions/synthetic-tests/gamma.ts",
  "src/build/actions.ts",
  "src/build/api.ts",
  "src/build/compose.ts",
  "src/build/iac.ts",
  "src/build/objects.ts",
  "src/build/outcome.ts",
  "src/build/package.ts",
  "src/build/scanners.ts",
  "src/build/stage.ts",
  "src/build/toolchain.ts",
  "src/dagger/aws.ts",
  "src/dagger/pipeline.ts",
  "src/deploy/result.ts",
  "src/deploy/shell.ts",
  "src/publish/referrers-fetch.ts",
  "src/publish/referrers.ts",
  "src/publish/result.ts",
  "src/publish/shell.ts",
  "src/release/beta-stage.ts",
  "src/release/build-runner.ts",
  "src/release/context.ts",
  "src/release/gamma-verdict.ts",
  "src/release/release.ts",
  "src/release/reports.ts",
  "src/release/result.ts",
  "src/shell/source.ts",
  "src/stages/beta/app.ts",
  "src/stages/beta/database.ts",
];

const exactly = (file) => `^${file.replace(/[.]/g, "\\.")}$`;

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
      name: "cores-import-no-dagger",
      severity: "error",
      comment:
        "Only the Dagger adapters listed in DAGGER_ADAPTERS (.dependency-cruiser.mjs) may import " +
        "@dagger.io/dagger. Move the Dagger calls or types into an adapter, or, if this file is a thin " +
        "adapter, add it to that list.",
      from: { path: "^src/", pathNot: DAGGER_ADAPTERS.map(exactly) },
      // Resolved through node_modules, or through tsconfig's paths to the generated sdk/ when present.
      to: { path: ["^(node_modules/)?@dagger\\.io/dagger(/|$)", "^sdk/"] },
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
