import type { ReactNode } from 'react';
import { describeError, isGone } from '../api/api-error';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status">
      Loading {what}…
    </p>
  );
}

/**
 * A failed request: what was asked, what the API said, and whether the console keeps trying
 * (not for what does not exist: a wrong or old link).
 */
export function ErrorState({ what, error }: { what: string; error: unknown }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load {what}.</strong> {describeError(error)}
      <div className="muted">
        {isGone(error)
          ? 'It does not exist: check the link, or find it from the list.'
          : 'The console retries on its own every few seconds.'}
      </div>
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}
