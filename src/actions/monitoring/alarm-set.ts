// The one alarm-set rule of a progressive deployment (deploy, Gamma and Prod): the alarms of
// dpra.yaml plus the alarms the stack outputs by convention. They are the CloudFormation rollback
// triggers and what the watcher polls during the update and the bake. Also the one "no alarms" rule.
import { alarmsForRegion, type AlarmRef } from "../../aws/alarms/arn.js";
import { parseCloudFormationTemplate } from "../../config/template.js";
import { MAX_ROLLBACK_TRIGGERS, type AwsEnvironment } from "../../config/sections/environments.js";

/**
 * The template-output convention: an output whose key ends in `Alarm`, `Alarms`, `AlarmName`,
 * `AlarmNames`, `AlarmArn` or `AlarmArns` names alarms (one, or a comma-separated list; names or ARNs).
 */
export const ALARM_OUTPUT_KEY = /Alarm(s|Name|Names|Arn|Arns)?$/;

export interface ExpectedAlarm {
  name: string;
  source: "stack-output" | "config";
}

/** The raw entries (names or ARNs) of the outputs that follow the convention, in output order. */
export function alarmEntriesFromOutputs(outputs: Record<string, string>): string[] {
  const entries: string[] = [];
  for (const [key, value] of Object.entries(outputs)) {
    if (!ALARM_OUTPUT_KEY.test(key)) continue;
    for (const part of value.split(",")) {
      const v = part.trim();
      if (v) entries.push(v);
    }
  }
  return entries;
}

/** Alarm names from stack outputs (see ALARM_OUTPUT_KEY); ARNs become names. */
export function alarmsFromOutputs(outputs: Record<string, string>): string[] {
  return alarmEntriesFromOutputs(outputs).map(alarmName);
}

/** `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:name` → `name`; names pass through. */
export function alarmName(nameOrArn: string): string {
  const m = /^arn:aws[\w-]*:cloudwatch:[\w-]+:\d{12}:alarm:(.+)$/.exec(nameOrArn);
  return m ? (m[1] as string) : nameOrArn;
}

/** Stack-output alarms first, then config alarms not already listed. */
export function expectedAlarms(outputs: Record<string, string>, configured: readonly string[]): ExpectedAlarm[] {
  const out: ExpectedAlarm[] = [];
  const add = (name: string, source: ExpectedAlarm["source"]) => {
    if (!out.some((e) => e.name === name)) out.push({ name, source });
  };
  for (const name of alarmsFromOutputs(outputs)) add(name, "stack-output");
  for (const raw of configured) add(alarmName(raw), "config");
  return out;
}

/**
 * Output keys of the template that follow the convention: what the stack will output as alarms once
 * deployed. Undefined when the template cannot be read here (then only the deploy can tell).
 */
export function declaredAlarmOutputs(templateBody: string): string[] | undefined {
  try {
    const template = parseCloudFormationTemplate(templateBody, "template");
    return Object.keys(template.Outputs ?? {}).filter((k) => ALARM_OUTPUT_KEY.test(k));
  } catch {
    return undefined;
  }
}

/** A region's alarm set before its update: what CloudFormation watches and what the watcher polls. */
export interface RegionAlarmSet {
  /** Every alarm of the set, by name (dpra.yaml's first, then the stack outputs'). */
  names: string[];
  /** Rollback triggers: the first five of the set (CloudFormation takes at most five). */
  triggers: AlarmRef[];
  /** Alarms of the set beyond the five triggers: watched by dpra only. */
  watchedOnly: string[];
}

/**
 * The alarm set of one region: dpra.yaml's alarms, then those the stack outputs as it is before the
 * update (an alarm the update itself creates is known only after it, and joins for the bake).
 */
export function regionAlarmSet(env: Pick<AwsEnvironment, "alarms" | "account">, region: string, outputs: Record<string, string>): RegionAlarmSet {
  const refs: AlarmRef[] = [];
  for (const ref of alarmsForRegion([...env.alarms, ...alarmEntriesFromOutputs(outputs)], region, env.account)) {
    if (!refs.some((r) => r.name === ref.name)) refs.push(ref);
  }
  return {
    names: refs.map((r) => r.name),
    triggers: refs.slice(0, MAX_ROLLBACK_TRIGGERS),
    watchedOnly: refs.slice(MAX_ROLLBACK_TRIGGERS).map((r) => r.name),
  };
}

/** What the "no alarms" rule says about an environment whose alarm set is empty. */
export interface NoAlarmsDecision {
  status: "failed" | "warning";
  detail: string;
}

/**
 * The one "no alarms" rule: prod is refused unless dpra.yaml opts out with a reason
 * (`environments.prod.allowNoAlarms.reason`); any other environment gets a warning.
 */
export function noAlarmsRule(envName: string, allowNoAlarms: { reason: string } | undefined): NoAlarmsDecision {
  if (allowNoAlarms) {
    return { status: "warning", detail: `no alarms, on purpose (environments.${envName}.allowNoAlarms: ${allowNoAlarms.reason}): nothing can trigger a rollback` };
  }
  if (envName === "prod") {
    return {
      status: "failed",
      detail:
        "no alarms in the stack outputs or in dpra.yaml: prod cannot roll back on its own. List alarms in environments.prod.alarms or output them from the template " +
        "(keys ending in Alarm, Alarms, AlarmName or AlarmArn), or set environments.prod.allowNoAlarms.reason to deploy without them",
    };
  }
  return { status: "warning", detail: `no alarms in the stack outputs or in dpra.yaml: nothing can trigger a rollback of ${envName} (prod refuses this)` };
}
