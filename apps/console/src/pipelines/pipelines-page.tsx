import { Link } from 'react-router';
import { usePipelines } from '../api/queries';
import { EmptyState, ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';

/** Every pipeline not uninstalled, with its status and stages. */
export function PipelinesPage() {
  const pipelines = usePipelines();
  return (
    <section>
      <header className="page-header">
        <h1>Pipelines</h1>
      </header>
      {pipelines.isPending ? (
        <Loading what="pipelines" />
      ) : !pipelines.data ? (
        <ErrorState what="pipelines" error={pipelines.error} />
      ) : pipelines.data.length === 0 ? (
        <EmptyState>
          No pipelines yet. Create one with <code>POST /api/pipelines</code> or{' '}
          <code>ruleshift apply -f pipeline.yaml</code>.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Pipelines">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Stages</th>
                <th>Pipeline id</th>
              </tr>
            </thead>
            <tbody>
              {pipelines.data.map((pipeline) => (
                <tr key={pipeline.pipelineId}>
                  <td>
                    <Link to={`/pipelines/${encodeURIComponent(pipeline.name)}`}>
                      {pipeline.name}
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={pipeline.status} />
                  </td>
                  <td>
                    {pipeline.stages
                      .map((s) => `${s.name} (${s.jobInfo.runtime}/${s.jobInfo.targetResource})`)
                      .join(' → ')}
                  </td>
                  <td className="mono">{pipeline.pipelineId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pipelines.isError && pipelines.data && (
        <ErrorState what="fresh figures" error={pipelines.error} />
      )}
    </section>
  );
}
