import type { JobDetails } from '@ruleshift/contracts';
import type { OperationState } from './use-operation';

/** Progress of the operation the operator started (or one another client holds the job for). */
export function OperationBar({
  job,
  state,
  onDismiss,
}: {
  job: JobDetails;
  state: OperationState | null;
  onDismiss(): void;
}) {
  const step = job.pendingMove?.step ?? job.pendingOperation;
  if (!state) {
    if (!job.pendingOperation) return null;
    return (
      <div className="operation operation-running" role="status">
        <span className="spinner" aria-hidden="true" /> {job.pendingOperation} in progress
        {job.pendingMove && ` (step ${job.pendingMove.step})`}…
      </div>
    );
  }
  if (state.phase === 'running' || state.phase === 'settling') {
    return (
      <div className="operation operation-running" role="status" data-testid="operation">
        <span className="spinner" aria-hidden="true" /> {state.label}
        {step ? ` — ${step}` : ''}…
        <progress aria-label={`${state.label} in progress`} />
      </div>
    );
  }
  return (
    <div
      className={`operation operation-${state.phase}`}
      role={state.phase === 'failed' ? 'alert' : 'status'}
      data-testid="operation"
    >
      <span>
        {state.phase === 'done'
          ? `${state.label} done: ${job.jobStatus} on ${job.runtime}/${job.targetResource}`
          : `${state.label} failed: ${state.message ?? ''}`}
      </span>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
