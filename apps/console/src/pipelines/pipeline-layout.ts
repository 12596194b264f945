import type { PipelineDetails, PipelineStageDetails } from '@ruleshift/contracts';

/** Sizes of the drawing, in SVG user units (pixels at scale 1). */
export const STAGE_WIDTH = 190;
export const STAGE_HEIGHT = 86;
export const EXCHANGE_WIDTH = 150;
export const EXCHANGE_HEIGHT = 50;
const COLUMN_GAP = 84;
const ROW_GAP = 28;
const MARGIN = 16;

export interface StageNode {
  kind: 'stage';
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  stage: PipelineStageDetails;
}

/** An exchange the pipeline reads from (input) or writes to for others (output). */
export interface ExchangeNode {
  kind: 'input' | 'output';
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  endpoint: string;
  exchange: string;
  routingKey: string;
}

export type GraphNode = StageNode | ExchangeNode;

/**
 * What flows along an edge: the events the upstream stage publishes (`out` of `jobId`), or,
 * from an input exchange, the events the stage consumes (`in` of `jobId`).
 */
export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  rate: { jobId: string; counter: 'in' | 'out' };
}

export interface PipelineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/**
 * Lays the pipeline out left to right: input exchanges, then each stage in the column after
 * the deepest stage it reads, then the outputs of the stages no other stage reads. Stages keep
 * the pipeline's order within a column; columns are centred on the tallest.
 */
export function layoutPipeline(pipeline: PipelineDetails): PipelineGraph {
  const byName = new Map(pipeline.stages.map((stage) => [stage.name, stage]));
  const depth = new Map<string, number>();
  const depthOf = (stage: PipelineStageDetails, seen: Set<string>): number => {
    const known = depth.get(stage.name);
    if (known !== undefined) return known;
    // The API refuses cycles; a name seen twice here would only be a malformed answer.
    if (seen.has(stage.name)) return 0;
    seen.add(stage.name);
    const upstream = stage.from.map((name) => byName.get(name)).filter((s) => s !== undefined);
    const value =
      upstream.length === 0 ? 0 : 1 + Math.max(...upstream.map((s) => depthOf(s, seen)));
    depth.set(stage.name, value);
    return value;
  };
  for (const stage of pipeline.stages) depthOf(stage, new Set());

  const columns: GraphNode[][] = [];
  const place = (column: number, node: GraphNode) => (columns[column] ??= []).push(node);
  const edges: GraphEdge[] = [];

  const inputs = new Map<string, ExchangeNode>();
  for (const stage of pipeline.stages) {
    if (stage.from.length > 0) continue;
    const c = stage.job.connectors;
    const key = `${c.inputEndpoint}/${c.inputExchange}/${c.inputRoutingKey}`;
    let input = inputs.get(key);
    if (!input) {
      input = exchangeNode(
        'input',
        `input:${key}`,
        c.inputEndpoint,
        c.inputExchange,
        c.inputRoutingKey,
      );
      inputs.set(key, input);
      place(0, input);
    }
    edges.push({
      id: `${input.id}->${stage.name}`,
      from: input.id,
      to: stage.name,
      rate: { jobId: stage.jobInfo.jobId, counter: 'in' },
    });
  }
  const read = new Set(pipeline.stages.flatMap((stage) => stage.from));
  const lastStageColumn = Math.max(0, ...[...depth.values()].map((d) => d + 1));
  for (const stage of pipeline.stages) {
    place((depth.get(stage.name) ?? 0) + 1, {
      kind: 'stage',
      id: stage.name,
      x: 0,
      y: 0,
      width: STAGE_WIDTH,
      height: STAGE_HEIGHT,
      stage,
    });
    for (const upstream of stage.from) {
      const source = byName.get(upstream);
      if (!source) continue;
      edges.push({
        id: `${upstream}->${stage.name}`,
        from: upstream,
        to: stage.name,
        rate: { jobId: source.jobInfo.jobId, counter: 'out' },
      });
    }
    if (!read.has(stage.name)) {
      const c = stage.job.connectors;
      const output = exchangeNode(
        'output',
        `output:${stage.name}`,
        c.outputEndpoint,
        c.outputExchange,
        c.outputRoutingKey,
      );
      place(lastStageColumn + 1, output);
      edges.push({
        id: `${stage.name}->${output.id}`,
        from: stage.name,
        to: output.id,
        rate: { jobId: stage.jobInfo.jobId, counter: 'out' },
      });
    }
  }

  const columnHeight = (nodes: GraphNode[]) =>
    nodes.reduce((sum, node) => sum + node.height, 0) + ROW_GAP * (nodes.length - 1);
  const height = Math.max(0, ...columns.map((nodes) => columnHeight(nodes ?? [])));
  columns.forEach((nodes, column) => {
    let y = MARGIN + (height - columnHeight(nodes)) / 2;
    for (const node of nodes) {
      node.x = MARGIN + column * (STAGE_WIDTH + COLUMN_GAP) + (STAGE_WIDTH - node.width) / 2;
      node.y = y;
      y += node.height + ROW_GAP;
    }
  });
  return {
    nodes: columns.flat(),
    edges,
    width: MARGIN * 2 + columns.length * STAGE_WIDTH + (columns.length - 1) * COLUMN_GAP,
    height: height + MARGIN * 2,
  };
}

function exchangeNode(
  kind: 'input' | 'output',
  id: string,
  endpoint: string,
  exchange: string,
  routingKey: string,
): ExchangeNode {
  return {
    kind,
    id,
    x: 0,
    y: 0,
    width: EXCHANGE_WIDTH,
    height: EXCHANGE_HEIGHT,
    endpoint,
    exchange,
    routingKey,
  };
}
