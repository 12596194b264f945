import type { AdapterApi, AdapterClient, AdapterPattern, AuditRecord } from '@ruleshift/contracts';

type Handler<P extends AdapterPattern> = (
  request: AdapterApi[P]['request'],
) => AdapterApi[P]['response'] | Promise<AdapterApi[P]['response']>;

/**
 * Records what the proxy sends and answers with per-pattern handlers (tests only). Audit
 * entries land in `audited`, not in `calls`, so a test of an operation sees its own call only.
 */
export class FakeAdapterClient implements AdapterClient {
  readonly calls: Array<{ pattern: AdapterPattern; request: unknown }> = [];
  readonly audited: AuditRecord[] = [];
  private readonly auditWaiters: Array<{ n: number; resolve: () => void }> = [];
  private readonly handlers = new Map<AdapterPattern, Handler<AdapterPattern>>();

  on<P extends AdapterPattern>(pattern: P, handler: Handler<P>): this {
    this.handlers.set(pattern, handler as unknown as Handler<AdapterPattern>);
    return this;
  }

  /** Resolves once `n` audit entries were recorded (they are sent after the response). */
  auditedCount(n: number): Promise<AuditRecord[]> {
    if (this.audited.length >= n) return Promise.resolve(this.audited);
    return new Promise((resolve) =>
      this.auditWaiters.push({ n, resolve: () => resolve(this.audited) }),
    );
  }

  async send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    if (pattern === 'audit.record') {
      const record = request as AuditRecord;
      this.audited.push(record);
      for (const waiter of this.auditWaiters.filter((w) => this.audited.length >= w.n)) {
        waiter.resolve();
      }
      return { ...record, id: String(this.audited.length) } as AdapterApi[P]['response'];
    }
    this.calls.push({ pattern, request });
    const handler = this.handlers.get(pattern);
    if (!handler) throw new Error(`FakeAdapterClient: no handler for ${pattern}`);
    const response: unknown = await handler(request);
    return response as AdapterApi[P]['response'];
  }
}
