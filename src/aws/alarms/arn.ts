import { partitionOf } from "../partition.js";

const ALARM_ARN = /^arn:(aws[a-z-]*):cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

export interface AlarmRef {
  name: string;
  arn: string;
  region: string;
}

/**
 * Resolves configured alarms (names or ARNs) for one region: a name applies to every region and
 * gets this region's ARN; an ARN applies only to its own region.
 */
export function alarmsForRegion(configured: readonly string[], region: string, account: string): AlarmRef[] {
  const out: AlarmRef[] = [];
  for (const entry of configured) {
    const m = ALARM_ARN.exec(entry);
    if (m) {
      if (m[2] === region) out.push({ name: m[4] ?? entry, arn: entry, region });
      continue;
    }
    out.push({ name: entry, arn: `arn:${partitionOf(region)}:cloudwatch:${region}:${account}:alarm:${entry}`, region });
  }
  return out;
}
