/**
 * dpra-ci: this repository's own CI, run the same way on a laptop and in any CI system.
 *
 * It runs exactly what `npm test` runs (typecheck, lint, tests with the surface check) in a
 * pinned Node container with npm's cache mounted.
 */
import { argument, check, type Directory, func, object } from "@dagger.io/dagger";
import { installed } from "./recipe.js";

/** Typecheck, lint and test the dpra repository. */
@object()
export class DpraCi {
  /**
   * Run the whole test command (`npm test`: typecheck, lint, vitest with the surface check) and
   * return its output. Fails when any step fails.
   *
   * @param source The repository (defaults to this repository).
   */
  @func()
  @check()
  async check(@argument({ defaultPath: "/", ignore: ["node_modules", "**/node_modules", "sdk", ".git"] }) source: Directory): Promise<string> {
    return installed(source).withExec(["npm", "test"]).stdout();
  }

  /**
   * Typecheck every TypeScript project of the repository.
   *
   * @param source The repository (defaults to this repository).
   */
  @func()
  async typecheck(@argument({ defaultPath: "/", ignore: ["node_modules", "**/node_modules", "sdk", ".git"] }) source: Directory): Promise<string> {
    return installed(source).withExec(["npm", "run", "typecheck"]).stdout();
  }

  /**
   * Lint the repository with ESLint.
   *
   * @param source The repository (defaults to this repository).
   */
  @func()
  async lint(@argument({ defaultPath: "/", ignore: ["node_modules", "**/node_modules", "sdk", ".git"] }) source: Directory): Promise<string> {
    return installed(source).withExec(["npm", "run", "lint"]).stdout();
  }
}
