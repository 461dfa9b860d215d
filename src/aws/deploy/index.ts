/** Environments and waves: the orchestration above the single-stack deployer. */
export {
  deployEnvironment,
  type DeployEnvironmentRequest,
  type EnvironmentDeployment,
  type RegionClients,
  type RegionReport,
  type WaveReport,
  type BreachReport,
  type AlarmPollEvent,
} from "./environment.js";
export { planWaves, protectionFor, stackParameters, contentRunId } from "./plan.js";
