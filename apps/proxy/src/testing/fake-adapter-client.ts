import type { AdapterApi, AdapterClient, AdapterPattern } from '@ruleshift/contracts';

type Handler<P extends AdapterPattern> = (
  request: AdapterApi[P]['request'],
) => AdapterApi[P]['response'] | Promise<AdapterApi[P]['response']>;

/** Records what the proxy sends and answers with per-pattern handlers (tests only). */
export class FakeAdapterClient implements AdapterClient {
  readonly calls: Array<{ pattern: AdapterPattern; request: unknown }> = [];
  private readonly handlers = new Map<AdapterPattern, Handler<AdapterPattern>>();

  on<P extends AdapterPattern>(pattern: P, handler: Handler<P>): this {
    this.handlers.set(pattern, handler as unknown as Handler<AdapterPattern>);
    return this;
  }

  async send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    this.calls.push({ pattern, request });
    const handler = this.handlers.get(pattern);
    if (!handler) throw new Error(`FakeAdapterClient: no handler for ${pattern}`);
    const response: unknown = await handler(request);
    return response as AdapterApi[P]['response'];
  }
}
