import {
  type AgentCommand,
  type RuleConfig,
  type RuleSnapshot,
  RuleshiftError,
  RuntimeUnavailable,
  type RuntimeKind,
} from '@ruleshift/contracts';
import type { TemplateCatalogPort } from '../../shared/template-catalog-port';
import type { ArtifactSignatures } from '../../templates/artifact-signatures';
import type { DriverJob, RuntimeDriver } from '../runtime-driver';
import { AgentControlChannel, AgentDidNotAnswer } from './agent-control-channel';

/** Drives the embedded engine of edge agents through their control queue. */
export class EdgeRuntimeDriver implements RuntimeDriver {
  readonly kind = 'edge' as const;

  constructor(
    private readonly channel: AgentControlChannel,
    private readonly catalog: TemplateCatalogPort,
    /** Base URL agents download artifacts from (ADAPTER_PUBLIC_URL), no trailing slash. */
    private readonly publicUrl: string,
    private readonly signatures: ArtifactSignatures,
  ) {}

  async install(job: DriverJob, config: RuleConfig, snapshot?: RuleSnapshot): Promise<void> {
    const ref = this.catalog.artifact(job.jobType, 'edge');
    const url = `${this.publicUrl.replace(/\/+$/, '')}${ref.path}`;
    await this.call(job.targetResource, {
      type: 'install',
      config,
      artifact: { ...this.signatures.signedArtifact(ref), url },
      ...(snapshot ? { snapshot } : {}),
    });
  }

  async start(job: DriverJob): Promise<void> {
    await this.call(job.targetResource, { type: 'start', jobId: job.jobId });
  }

  async stop(job: DriverJob): Promise<RuleSnapshot | undefined> {
    return (await this.call(job.targetResource, { type: 'stop', jobId: job.jobId })).snapshot;
  }

  async uninstall(job: DriverJob): Promise<RuleSnapshot | undefined> {
    return (await this.call(job.targetResource, { type: 'uninstall', jobId: job.jobId })).snapshot;
  }

  canCarryState(kind: RuntimeKind): boolean {
    // The engine-neutral snapshot restores on another agent and on Flink (FlinkStateTransfer).
    return kind === 'edge' || kind === 'flink';
  }

  private async call(agentId: string, command: AgentCommand) {
    let reply;
    try {
      reply = await this.channel.send(agentId, command);
    } catch (err) {
      if (err instanceof AgentDidNotAnswer) {
        throw new RuntimeUnavailable('targetResource', `agent ${agentId} did not answer`);
      }
      throw err;
    }
    if (!reply.ok) {
      throw new RuleshiftError(
        'RUNTIME_ERROR',
        `agent ${agentId} refused ${command.type}: ${reply.error.message}`,
      );
    }
    return reply;
  }
}
