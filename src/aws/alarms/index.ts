/** Alarm watching with DescribeAlarms, shared by the deployer and the wave engine's monitoring. */
export { watchAlarms, describeAlarmStates, type AlarmBreach, type AlarmWatchResult, type WatchAlarmsOptions } from "./watch.js";
export { alarmsForRegion, type AlarmRef } from "./arn.js";
