import type { ErrorBody } from './errors';
import type {
  DeadLetterListRequest,
  DeadLetterReplayRequest,
  DeadLetterReport,
} from './dead-letters';
import type {
  ApiTokenInfo,
  AuditEntry,
  AuditPage,
  AuditRecord,
  CreateApiTokenRequest,
} from './access';
import type { AgentInfo, CreateAgentRequest, CreatedAgent } from './agent-identity';
import type {
  InstallationObject,
  JobDetails,
  JobInfo,
  RelocationObject,
  RuntimeInfo,
  UninstallRequest,
} from './job';
import type {
  PlacementDecisionPage,
  PlacementDecisionQuery,
  PlacementPolicy,
  SetPlacementRequest,
} from './placement';
import type { PipelineDetails, PipelineInfo, PipelineObject } from './pipeline';
import type { RuleConfig } from './rule-config';
import type { TemplateInfo } from './template-manifest';

/**
 * Queue the adapter serves AdapterApi requests on (core broker, default exchange). Proxy and
 * adapter both declare it, durable and without arguments, so a request sent while the adapter
 * is down waits for it until the request's own expiration.
 */
export const ADAPTER_QUEUE = 'ruleshift.adapter';

/** One AdapterApi call on the wire (RPC envelope: see libs/broker/src/rpc). */
export interface AdapterRequest<P extends AdapterPattern = AdapterPattern> {
  pattern: P;
  request: AdapterApi[P]['request'];
}

/**
 * The adapter's answer. `pending`: the operation did not end before the caller's deadline; it
 * goes on, the job stays held (`pendingOperation` in GET /api/jobs/{id}) until it does.
 */
export type AdapterReply<P extends AdapterPattern = AdapterPattern> =
  | { ok: true; result: AdapterApi[P]['response'] }
  | { ok: false; error: ErrorBody }
  | { ok: 'pending'; pending: PendingOperation };

export interface PendingOperation {
  /** The AdapterApi pattern still running, e.g. `rules.move`. */
  operation: AdapterPattern;
  /** The job it holds; absent for an install (its job id is not known to the caller yet). */
  jobId?: string;
  requestId?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  components: Record<string, { status: 'up' | 'down'; detail?: string }>;
}

/** `GET /api/jobs?limit=&cursor=`: at most `limit` jobs (default 100, max 500) after `cursor`. */
export interface JobListRequest {
  limit?: number;
  cursor?: string;
}

/** One page of jobs, oldest first; `nextCursor` is set when more may follow. */
export interface JobPage {
  items: JobDetails[];
  nextCursor?: string;
}

/**
 * Every message the proxy sends to the adapter: pattern -> request and response types. The
 * same map types the RMQ transport and the in-process one used by `npm start`.
 */
export interface AdapterApi {
  'rules.install': { request: InstallationObject; response: JobInfo };
  'rules.uninstall': { request: UninstallRequest; response: JobInfo };
  'rules.start': { request: JobInfo; response: JobInfo };
  'rules.stop': { request: JobInfo; response: JobInfo };
  'rules.move': { request: RelocationObject; response: JobInfo };
  'jobs.list': { request: JobListRequest; response: JobPage };
  'jobs.get': { request: { jobId: string }; response: JobDetails };
  'jobs.config': {
    request: { jobId: string };
    response: { configFileName: string; content: RuleConfig };
  };
  'deadletters.list': { request: DeadLetterListRequest; response: DeadLetterReport };
  'deadletters.replay': { request: DeadLetterReplayRequest; response: { replayed: number } };
  'deadletters.purge': { request: { jobId: string }; response: { purged: number } };
  'runtimes.list': { request: Record<string, never>; response: RuntimeInfo[] };
  'templates.list': { request: Record<string, never>; response: TemplateInfo[] };
  health: { request: Record<string, never>; response: HealthReport };
  'tokens.create': { request: CreateApiTokenRequest; response: ApiTokenInfo };
  'tokens.list': { request: Record<string, never>; response: ApiTokenInfo[] };
  'tokens.revoke': { request: { id: string }; response: ApiTokenInfo };
  /** Null token when unknown, revoked or expired; a hit also records the last-use time. */
  'tokens.verify': { request: { secretHash: string }; response: { token: ApiTokenInfo | null } };
  'audit.record': { request: AuditRecord; response: AuditEntry };
  /** Newest first; `before` is an entry id from the previous page's `nextBefore`. */
  'audit.list': { request: { limit: number; before?: string }; response: AuditPage };
  'agents.create': { request: CreateAgentRequest; response: CreatedAgent };
  'agents.list': { request: Record<string, never>; response: AgentInfo[] };
  'agents.revoke': { request: { agentId: string }; response: AgentInfo };

  /** Validates the whole graph, then installs every stage or none. */
  'pipelines.create': { request: PipelineObject; response: PipelineInfo };
  'pipelines.list': { request: Record<string, never>; response: PipelineInfo[] };
  /** `pipeline`: the pipeline id, or the name of a pipeline not uninstalled. */
  'pipelines.get': { request: { pipeline: string }; response: PipelineDetails };
  'pipelines.start': { request: { pipeline: string }; response: PipelineInfo };
  'pipelines.stop': { request: { pipeline: string }; response: PipelineInfo };
  'pipelines.uninstall': { request: { pipeline: string }; response: PipelineInfo };
  /** Replaces a rule's placement policy; answers the policy as stored. */
  'placement.set': { request: SetPlacementRequest; response: PlacementPolicy };
  'placement.decisions': { request: PlacementDecisionQuery; response: PlacementDecisionPage };
  /** ruleshift's metrics in the Prometheus text format (without process metrics). */
  'metrics.scrape': { request: Record<string, never>; response: { text: string } };
}

export type AdapterPattern = keyof AdapterApi;

/**
 * How the proxy reaches the adapter. Implementations: over RabbitMQ (separate processes) and
 * in-process (one process, `npm start`). Rejects with a RuleshiftError.
 */
export interface AdapterClient {
  send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']>;
}

/** Nest injection token for AdapterClient. */
export const ADAPTER_CLIENT = Symbol('ADAPTER_CLIENT');
