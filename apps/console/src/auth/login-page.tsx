import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/api-client';
import { describeError } from '../api/api-error';
import { useSession } from './session';

/** Asks for a bearer token and checks it against a viewer route before keeping it. */
export function LoginPage() {
  const { logIn, notice } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setError('Enter a token.');
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await new ApiClient(candidate).get('/api/runtimes');
      logIn(candidate);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setChecking(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={(event) => void submit(event)}>
        <h1>ruleshift console</h1>
        <p className="muted">
          The API needs a bearer token: the admin token <code>npm start</code> printed (kept in{' '}
          <code>.data/admin-token</code>) or an API key from <code>POST /api/tokens</code>. It is
          kept for this browser session only.
        </p>
        {notice && <p className="banner banner-warning">{notice}</p>}
        <label className="field">
          <span>Token</span>
          <input
            type="password"
            name="token"
            autoComplete="off"
            autoFocus
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'token-error' : undefined}
          />
          {error && (
            <span className="field-error" id="token-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <button type="submit" className="primary" disabled={checking}>
          {checking ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
