import type { DeadLetterMessage } from '@ruleshift/contracts';
import { formatTime } from '../shared/format';
import { EmptyState } from '../shared/states';

/** The most recent dead letters, newest first, each with its headers and body. */
export function DeadLetterMessages({ messages }: { messages: DeadLetterMessage[] }) {
  if (messages.length === 0)
    return <EmptyState>No dead letter is waiting for this rule.</EmptyState>;
  return (
    <div className="card">
      <h2>Most recent</h2>
      <ol className="messages" aria-label="Dead letters">
        {messages.map((message, index) => (
          <li key={`${message.deadLetteredAt ?? ''}-${index}`} className="message">
            <div>
              <strong>{message.reason}</strong>
              {message.detail && <span> — {message.detail}</span>}
              <span className="muted"> · {formatTime(message.deadLetteredAt)}</span>
            </div>
            <details>
              <summary>Headers and body</summary>
              <pre className="code">{JSON.stringify(message.headers, null, 2)}</pre>
              <pre className="code">
                {typeof message.body === 'string'
                  ? message.body
                  : JSON.stringify(message.body, null, 2)}
              </pre>
            </details>
            <pre className="code code-inline">
              {typeof message.body === 'string' ? message.body : JSON.stringify(message.body)}
            </pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
