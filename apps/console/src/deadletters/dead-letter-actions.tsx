import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api/api-error';
import { deadLettersPath } from '../api/dead-letters';
import { useApi } from '../auth/session';
import { ConfirmDialog } from '../shared/confirm-dialog';

type Action = 'replay' | 'purge';

/** Replay the oldest N dead letters to the rule's input, or purge them all, after confirming. */
export function DeadLetterActions({ jobId, total }: { jobId: string; total: number }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [count, setCount] = useState('1');
  const [asking, setAsking] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const replayCount = Number(count);
  const countValid = Number.isInteger(replayCount) && replayCount >= 1;

  const perform = async (action: Action) => {
    setAsking(null);
    setBusy(true);
    setResult(null);
    try {
      if (action === 'replay') {
        const answer = await api.post<{ replayed: number }>(`${deadLettersPath(jobId)}/replay`, {
          count: replayCount,
        });
        setResult({ ok: true, text: `Replayed ${answer.replayed} to the rule's input.` });
      } else {
        const answer = await api.delete<{ purged: number }>(deadLettersPath(jobId));
        setResult({ ok: true, text: `Purged ${answer.purged}.` });
      }
      await queryClient.invalidateQueries({ queryKey: ['deadletters', jobId] });
    } catch (error) {
      setResult({ ok: false, text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card">
      <h2>Act on them</h2>
      <div className="form-actions">
        <label className="field inline">
          <span>Replay the oldest</span>
          <input
            type="number"
            min={1}
            value={count}
            onChange={(event) => setCount(event.target.value)}
            className="narrow"
            aria-invalid={countValid ? undefined : true}
          />
        </label>
        <button
          type="button"
          onClick={() => setAsking('replay')}
          disabled={busy || total === 0 || !countValid}
        >
          Replay
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => setAsking('purge')}
          disabled={busy || total === 0}
        >
          Purge all
        </button>
      </div>
      {busy && (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> Working…
        </p>
      )}
      {result && (
        <p className={result.ok ? 'banner banner-ok' : 'banner banner-error'} role="status">
          {result.text}
        </p>
      )}
      {asking && (
        <ConfirmDialog
          title={
            asking === 'replay'
              ? `Replay ${replayCount} dead letter(s)?`
              : 'Purge all dead letters?'
          }
          confirmLabel={asking === 'replay' ? 'Replay' : 'Purge'}
          danger={asking === 'purge'}
          onCancel={() => setAsking(null)}
          onConfirm={() => void perform(asking)}
        >
          <p>
            {asking === 'replay'
              ? "They are published again, oldest first, to the rule's input exchange and routing key. A letter that is still bad comes back here."
              : `All ${total} dead letters of this rule are deleted. This cannot be undone.`}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
