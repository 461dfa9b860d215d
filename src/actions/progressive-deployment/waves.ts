import type { AwsEnvironment } from "../../config/sections/environments.js";

/** One wave of a rollout: regions deployed concurrently, then baked. */
export interface Wave {
  /** The configured name, or the wave's 1-based number ("1", "2", ...). */
  name: string;
  regions: string[];
  bakeMinutes: number;
}

/** The waves of an environment in order: `waves` as given (bake defaulting to `bakeMinutes`), or one wave of `region`. */
export function planWaves(env: Pick<AwsEnvironment, "waves" | "region" | "bakeMinutes">): Wave[] {
  if (env.waves) {
    return env.waves.map((w, i) => ({ name: w.name ?? String(i + 1), regions: [...w.regions], bakeMinutes: w.bakeMinutes ?? env.bakeMinutes }));
  }
  if (!env.region) throw new Error("the environment has neither `region` nor `waves`: set one of them in dpra.yaml");
  return [{ name: "1", regions: [env.region], bakeMinutes: env.bakeMinutes }];
}

/** How every log line, step and message names a wave: "wave 1", "wave pilot". */
export function waveLabel(wave: Pick<Wave, "name">): string {
  return `wave ${wave.name}`;
}
