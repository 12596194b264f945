import {
  ValidationFailed,
  type Connectors,
  type ExchangeType,
  type InputConnector,
  type InstallationObject,
  type PipelineExchange,
  type PipelineObject,
  type PipelineStage,
} from '@ruleshift/contracts';
import { readersByStage, upstreamFirst } from './pipeline-graph';

export interface WiredStage {
  stage: PipelineStage;
  /** Position in the request (for `stages[i]` in errors). */
  index: number;
  installation: InstallationObject;
}

export interface WiredPipeline {
  /** Upstream first: every stage after the stages it reads. */
  stages: WiredStage[];
  /** Exchanges the wiring named (and the stages declare); deleted with the pipeline. */
  exchanges: PipelineExchange[];
}

interface StageOutput {
  endpoint: string;
  exchange: string;
  routingKey: string;
  type: ExchangeType;
}

/** Names the adapter gives what it creates between stages. */
export const pipelineExchangeName = (pipeline: string, stage: string): string =>
  `ruleshift.pipeline.${pipeline}.${stage}`;
export const pipelineQueueName = (pipeline: string, stage: string, input: number): string =>
  `ruleshift.pipeline.${pipeline}.${stage}.in${input}`;

/**
 * Turns a validated pipeline (pipelineGraphErrors found nothing) into one installation object
 * per stage. The output of a stage others read goes to an exchange, the one the stage gives or
 * `ruleshift.pipeline.<pipeline>.<stage>`, on the broker the stage gives or else the edge broker
 * when the stage and every reader run at the edge, the core broker otherwise. Each reader gets
 * its own durable queue bound there (fan-out: one queue per reader). Given fields are kept.
 */
export function wirePipeline(pipeline: PipelineObject): WiredPipeline {
  const readers = readersByStage(pipeline.stages);
  const byName = new Map(pipeline.stages.map((s) => [s.name, s]));
  const outputs = new Map<string, StageOutput>();
  const exchanges: PipelineExchange[] = [];
  const stages: WiredStage[] = [];

  for (const stage of upstreamFirst(pipeline.stages)) {
    const index = pipeline.stages.indexOf(stage);
    const own = stage.jobConfig?.connectors ?? {};
    const from = stage.from ?? [];
    const exchangeType = exchangeTypeOf(stage, index, from, outputs);
    const connectors: Partial<Connectors> = { ...own };
    if (exchangeType !== undefined) connectors.exchangeType = exchangeType;

    if (from[0] !== undefined) {
      const upstream = outputs.get(from[0])!;
      connectors.inputEndpoint = upstream.endpoint;
      connectors.inputExchange = upstream.exchange;
      connectors.inputRoutingKey = upstream.routingKey;
      connectors.inputQueue = own.inputQueue ?? pipelineQueueName(pipeline.name, stage.name, 0);
    }
    if (from[1] !== undefined) {
      const upstream = outputs.get(from[1])!;
      const secondInput: InputConnector = {
        endpoint: upstream.endpoint,
        exchange: upstream.exchange,
        queue: pipelineQueueName(pipeline.name, stage.name, 1),
        routingKey: upstream.routingKey,
        exchangeType: upstream.type,
      };
      connectors.secondInput = secondInput;
    }

    const stageReaders = (readers.get(stage.name) ?? []).map((name) => byName.get(name)!);
    if (stageReaders.length > 0) {
      const allAtEdge = [stage, ...stageReaders].every((s) => s.headers.runtime === 'edge');
      const output: StageOutput = {
        endpoint: own.outputEndpoint ?? (allAtEdge ? 'edge' : 'core'),
        exchange: own.outputExchange ?? pipelineExchangeName(pipeline.name, stage.name),
        routingKey: own.outputRoutingKey ?? stage.name,
        type: exchangeType ?? 'direct',
      };
      if (own.outputExchange === undefined) {
        exchanges.push({ endpoint: output.endpoint, exchange: output.exchange });
      }
      connectors.outputEndpoint = output.endpoint;
      connectors.outputExchange = output.exchange;
      connectors.outputRoutingKey = output.routingKey;
      outputs.set(stage.name, output);
    }

    stages.push({
      stage,
      index,
      installation: {
        headers: stage.headers,
        jobConfig: { connectors: connectors as Connectors },
        jobProps: stage.jobProps,
      },
    });
  }
  return { stages, exchanges };
}

/**
 * One exchange type per rule covers its input 0 and its output (as RabbitMQ declares them), so a
 * stage wired from another takes that stage's output type unless it says its own, which must
 * then agree.
 */
function exchangeTypeOf(
  stage: PipelineStage,
  index: number,
  from: string[],
  outputs: Map<string, StageOutput>,
): ExchangeType | undefined {
  const own = stage.jobConfig?.connectors?.exchangeType;
  const upstream = from[0] !== undefined ? outputs.get(from[0]) : undefined;
  if (!upstream) return own;
  if (own !== undefined && own !== upstream.type) {
    throw new ValidationFailed([
      {
        field: `stages[${index}].jobConfig.connectors.exchangeType`,
        reason: `must be ${upstream.type}, the type of stage ${from[0]}'s output exchange`,
      },
    ]);
  }
  return upstream.type === 'direct' && own === undefined ? undefined : upstream.type;
}
