import type { AwsEnvironment } from "../../config/sections/environments.js";
import type { ProdWave } from "./stage.js";

/** The prod waves from dpra.yaml: `waves` as given (bake defaulting to `bakeMinutes`), or one wave of `region`. */
export function prodWavesFrom(env: AwsEnvironment): ProdWave[] {
  if (env.waves) {
    return env.waves.map((w, i) => ({ name: w.name ?? String(i + 1), regions: [...w.regions], bakeMinutes: w.bakeMinutes ?? env.bakeMinutes }));
  }
  if (env.region) return [{ name: "1", regions: [env.region], bakeMinutes: env.bakeMinutes }];
  throw new Error("environments.prod needs `region` or `waves`");
}
