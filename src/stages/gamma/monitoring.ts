// Gamma's and Prod's monitoring summary is the wave engine's (one judgement of what the watcher saw).
export * from "../../actions/progressive-deployment/monitoring.js";
