import { Link, useParams } from 'react-router';
import { deadLetterTotal, metricsHistory } from '../api/metrics-history';
import { usePipeline } from '../api/queries';
import { formatCount, formatRate } from '../shared/format';
import { ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';
import { PipelineGraph } from './pipeline-graph';

/** One pipeline: its graph with live rates, then each stage's rule with its counters. */
export function PipelinePage() {
  const { pipeline: name = '' } = useParams();
  const pipeline = usePipeline(name);
  if (pipeline.isPending) return <Loading what={`pipeline ${name}`} />;
  if (!pipeline.data) return <ErrorState what={`pipeline ${name}`} error={pipeline.error} />;
  const details = pipeline.data;
  return (
    <section>
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to="/pipelines">Pipelines</Link> /
          </p>
          <h1>
            {details.name} <span className="mono muted">{details.pipelineId}</span>
          </h1>
          <p>
            <StatusBadge status={details.status} />
            {details.pendingOperation && <> · {details.pendingOperation} running</>}
          </p>
        </div>
      </header>
      {pipeline.isError && <ErrorState what="fresh figures" error={pipeline.error} />}
      <div className="card">
        <div className="graph-header">
          <h2>Stages</h2>
          <ul className="graph-legend" aria-label="Legend">
            <li>
              <span className="legend-box runtime-edge" /> edge agent
            </li>
            <li>
              <span className="legend-box runtime-flink" /> Flink
            </li>
            <li>
              <span className="legend-line status-running" /> RUNNING
            </li>
            <li>
              <span className="legend-line status-failed" /> FAILED
            </li>
            <li>
              <span className="legend-line status-stopped" /> other
            </li>
            <li>edges: events/s</li>
          </ul>
        </div>
        <PipelineGraph pipeline={details} />
      </div>
      <div className="card">
        <div className="table-scroll">
          <table className="table" aria-label={`Stages of ${details.name}`}>
            <thead>
              <tr>
                <th>Stage</th>
                <th>Reads</th>
                <th>Rule</th>
                <th>Placement</th>
                <th>Status</th>
                <th className="num">In</th>
                <th className="num">Out</th>
                <th className="num">In/s</th>
                <th className="num">Out/s</th>
                <th className="num">Dead letters</th>
              </tr>
            </thead>
            <tbody>
              {details.stages.map((stage) => {
                const job = stage.job;
                const rates = metricsHistory.ratesOf(job.jobId);
                return (
                  <tr key={stage.name} data-stage={stage.name}>
                    <td>{stage.name}</td>
                    <td>
                      {stage.from.length > 0 ? stage.from.join(', ') : job.connectors.inputExchange}
                    </td>
                    <td>
                      <Link to={`/rules/${job.jobId}`} className="mono">
                        {job.jobType} {job.jobId.slice(0, 8)}
                      </Link>
                    </td>
                    <td>
                      {job.runtime}/{job.targetResource}
                    </td>
                    <td>
                      <StatusBadge status={job.jobStatus} />
                    </td>
                    <td className="num" data-testid={`stage-in-${stage.name}`}>
                      {formatCount(job.metrics?.eventsIn)}
                    </td>
                    <td className="num" data-testid={`stage-out-${stage.name}`}>
                      {formatCount(job.metrics?.eventsOut)}
                    </td>
                    <td className="num">{formatRate(rates?.inPerSecond)}</td>
                    <td className="num">{formatRate(rates?.outPerSecond)}</td>
                    <td className="num">
                      {formatCount(job.metrics ? deadLetterTotal(job) : undefined)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
