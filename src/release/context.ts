// The context a Dagger release passes from stage to stage.
import { randomBytes } from "node:crypto";
import type { Container, Directory } from "@dagger.io/dagger";
import type { DpraConfig } from "../config/schema.js";
import type { ReleaseContext } from "./compose.js";
import { ReportSink } from "./reports.js";

export interface DaggerReleaseContext extends ReleaseContext<Container> {
  config: DpraConfig;
  source: Directory;
  /** Unique per run: names secrets and keeps side-effecting steps out of the cache. */
  runId: string;
  reports: ReportSink;
}

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

export function releaseContext(config: DpraConfig, source: Directory, build?: ReleaseContext<Container>["build"]): DaggerReleaseContext {
  return { config, source, runId: newRunId(), reports: new ReportSink(), ...(build ? { build } : {}) };
}
