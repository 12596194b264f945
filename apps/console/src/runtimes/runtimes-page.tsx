import { Link } from 'react-router';
import { useJobs, useRuntimes } from '../api/queries';
import { formatAgo, formatBytes, formatDetail, formatPercent, formatRate } from '../shared/format';
import { EmptyState, ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';
import { eventsPerSecondOn, jobsOn } from './runtime-rates';

/** Edge agents and Flink clusters with health, last heartbeat, load and their rules' rate. */
export function RuntimesPage() {
  const runtimes = useRuntimes();
  const jobs = useJobs();
  const all = jobs.data ?? [];
  return (
    <section>
      <header className="page-header">
        <h1>Runtimes</h1>
      </header>
      {runtimes.isPending ? (
        <Loading what="runtimes" />
      ) : !runtimes.data ? (
        <ErrorState what="runtimes" error={runtimes.error} />
      ) : runtimes.data.length === 0 ? (
        <EmptyState>
          No runtime has registered yet: agents appear with their first heartbeat, Flink clusters
          when the adapter has <code>FLINK_REST_URL</code>.
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Runtimes">
            <thead>
              <tr>
                <th>Runtime</th>
                <th>Kind</th>
                <th>Health</th>
                <th>Last heartbeat</th>
                <th className="num">CPU</th>
                <th className="num">Memory</th>
                <th className="num">Rules</th>
                <th className="num">Events in/s</th>
              </tr>
            </thead>
            <tbody>
              {runtimes.data.map((runtime) => {
                const details = runtime.details ?? {};
                const flink = runtime.runtime === 'flink';
                return (
                  <tr key={`${runtime.runtime}/${runtime.targetResource}`}>
                    <td>
                      <Link to={`/runtimes/${runtime.runtime}/${runtime.targetResource}`}>
                        {runtime.targetResource}
                      </Link>
                    </td>
                    <td>{flink ? 'Flink cluster' : 'edge agent'}</td>
                    <td>
                      <StatusBadge status={runtime.health} />
                    </td>
                    <td title={runtime.lastSeenAt}>{formatAgo(runtime.lastSeenAt)}</td>
                    <td className="num">
                      {flink
                        ? `${formatDetail(details.slotsAvailable)}/${formatDetail(details.slotsTotal)} slots free`
                        : formatPercent(details.cpuPercent)}
                    </td>
                    <td
                      className="num"
                      title={
                        details.sharesProcess === true
                          ? 'CPU and memory of the whole process this agent shares (npm start)'
                          : undefined
                      }
                    >
                      {flink ? '–' : formatBytes(details.rssBytes)}
                      {details.sharesProcess === true ? ' (shared)' : ''}
                    </td>
                    <td className="num">{jobsOn(runtime, all).length}</td>
                    <td className="num">{formatRate(eventsPerSecondOn(runtime, all))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {runtimes.isError && runtimes.data && (
        <ErrorState what="fresh figures" error={runtimes.error} />
      )}
    </section>
  );
}
