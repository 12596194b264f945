import type { PipelineDetails } from '@ruleshift/contracts';
import { metricsHistory } from '../api/metrics-history';
import { formatRate } from '../shared/format';
import {
  layoutPipeline,
  type ExchangeNode,
  type GraphEdge,
  type StageNode,
} from './pipeline-layout';

/**
 * The pipeline as a graph: input exchanges, stages (filled by runtime, outlined by status, both
 * also written in the box) and output exchanges, with the events per second on each edge.
 */
export function PipelineGraph({ pipeline }: { pipeline: PipelineDetails }) {
  const graph = layoutPipeline(pipeline);
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return (
    <div className="graph-scroll">
      <svg
        className="pipeline-graph"
        role="img"
        aria-label={`Graph of pipeline ${pipeline.name}: ${pipeline.stages.length} stages`}
        viewBox={`0 0 ${graph.width} ${graph.height}`}
        // Fills the card, shrinking a wide pipeline to fit a laptop screen down to 80 % (text
        // stays readable); wider than that, the card scrolls sideways.
        style={{ minWidth: Math.round(graph.width * MIN_SCALE), maxWidth: graph.width }}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="graph-arrow" />
          </marker>
        </defs>
        {graph.edges.map((edge) => {
          const from = byId.get(edge.from);
          const to = byId.get(edge.to);
          return from && to ? <Edge key={edge.id} edge={edge} from={from} to={to} /> : null;
        })}
        {graph.nodes.map((node) =>
          node.kind === 'stage' ? (
            <Stage key={node.id} node={node} />
          ) : (
            <Exchange key={node.id} node={node} />
          ),
        )}
      </svg>
    </div>
  );
}

const MIN_SCALE = 0.8;

type Box = { x: number; y: number; width: number; height: number };

function Edge({ edge, from, to }: { edge: GraphEdge; from: Box; to: Box }) {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  const bend = (x2 - x1) / 2;
  const rates = metricsHistory.ratesOf(edge.rate.jobId);
  const perSecond = edge.rate.counter === 'in' ? rates?.inPerSecond : rates?.outPerSecond;
  const label = `${formatRate(perSecond)}/s`;
  const labelX = (x1 + x2) / 2;
  const labelY = (y1 + y2) / 2;
  return (
    <g className="graph-edge" data-testid={`edge-${edge.id}`}>
      <path
        d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`}
        markerEnd="url(#arrow)"
      />
      <rect x={labelX - 30} y={labelY - 11} width={60} height={22} rx={11} />
      <text x={labelX} y={labelY + 4} textAnchor="middle" data-testid="edge-rate">
        {label}
      </text>
    </g>
  );
}

function Stage({ node }: { node: StageNode }) {
  const { stage } = node;
  const job = stage.job;
  const status = job.pendingOperation
    ? `${job.jobStatus} (${job.pendingOperation})`
    : job.jobStatus;
  return (
    <g
      className={`graph-stage runtime-${job.runtime} status-${job.jobStatus.toLowerCase()}`}
      data-testid={`stage-${stage.name}`}
      transform={`translate(${node.x} ${node.y})`}
    >
      <title>
        {stage.name}: {job.jobType} on {job.runtime}/{job.targetResource}, {status}
      </title>
      <rect width={node.width} height={node.height} rx={8} />
      <text x={12} y={22} className="graph-stage-name">
        {stage.name}
      </text>
      <text x={12} y={42} className="graph-stage-detail">
        {job.jobType} · {job.runtime}/{job.targetResource}
      </text>
      <text x={12} y={66} className="graph-stage-status">
        {status}
      </text>
    </g>
  );
}

function Exchange({ node }: { node: ExchangeNode }) {
  return (
    <g className={`graph-exchange graph-${node.kind}`} transform={`translate(${node.x} ${node.y})`}>
      <title>
        {node.kind === 'input' ? 'reads' : 'writes'} {node.endpoint}: exchange {node.exchange},
        routing key {node.routingKey}
      </title>
      <rect width={node.width} height={node.height} rx={node.height / 2} />
      <text x={node.width / 2} y={21} textAnchor="middle" className="graph-exchange-name">
        {node.exchange}
      </text>
      <text x={node.width / 2} y={38} textAnchor="middle" className="graph-exchange-key">
        {node.endpoint} · {node.routingKey}
      </text>
    </g>
  );
}
