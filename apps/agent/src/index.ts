export { startAgent } from './start-agent';
export { createAgent, AGENT_VERSION } from './agent';
export type { AgentOptions, AgentHandle, AgentDeps } from './agent-options';
export type { FetchArtifact } from './bundles/fetch-artifact';
export type { AgentLogger } from './shared/logger';
export { LineLogger, silentLogger } from './shared/logger';
export type { WatchdogOptions } from './host/worker/worker-rule-host';
export { CONTROL_MESSAGE_TTL_MS } from './control/control-topology';
export { parseAgentEnv, type AgentEnv } from './config/agent-env';
