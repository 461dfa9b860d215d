/** Stack parameters, protection and run IDs of an environment. The waves are the wave engine's: src/actions/progressive-deployment. */
export { protectionFor, stackParameters, contentRunId } from "./plan.js";
