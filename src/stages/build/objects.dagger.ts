// Objects the build functions return. Kept apart from the logic so that the Dagger introspector
// sees small, documented types.
import { func, object, type Container, type Directory } from "@dagger.io/dagger";

/** The verdict of one build action (unit tests, lint, secrets, SAST, SCA, IaC) and its reports. */
@object()
export class ActionReport {
  /** The action, e.g. `secrets` or `unit-tests`. */
  @func()
  action: string;

  /** True when the policy found nothing blocking and the action's tools ran. */
  @func()
  passed: boolean;

  /** Markdown summary: counts, and every blocking finding with the reason it blocks. */
  @func()
  summary: string;

  /** summary.md, findings.json, findings.sarif (merged SARIF 2.1.0) and the raw tool reports under raw/. */
  @func()
  reports: Directory;

  constructor(action: string, passed: boolean, summary: string, reports: Directory) {
    this.action = action;
    this.passed = passed;
    this.summary = summary;
    this.reports = reports;
  }
}

/** The build stage's result: the image packaged once, the merged reports and the verdict. */
@object()
export class BuildResult {
  /** The runnable image, built once; later stages deploy this same container by digest. */
  @func()
  image: Container;

  /** summary.md, findings.json, findings.sarif (merged SARIF 2.1.0), sbom.cdx.json and raw tool reports under raw/. */
  @func()
  reports: Directory;

  /** True when no finding blocks under the policy, the tests pass and every action ran. */
  @func()
  passed: boolean;

  /** Markdown summary for a CI step summary: per action, tests, and every blocking finding with its reason. */
  @func()
  summary: string;

  constructor(image: Container, reports: Directory, passed: boolean, summary: string) {
    this.image = image;
    this.reports = reports;
    this.passed = passed;
    this.summary = summary;
  }
}
