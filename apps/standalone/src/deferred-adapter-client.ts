import {
  RuntimeUnavailable,
  type AdapterApi,
  type AdapterClient,
  type AdapterPattern,
} from '@ruleshift/contracts';

/**
 * The proxy module needs its AdapterClient when the app is assembled, but in one process the
 * in-process client is a provider of the adapter module in that same app: this forwards to it
 * once the app is built.
 */
export class DeferredAdapterClient implements AdapterClient {
  private target: AdapterClient | null = null;

  bind(target: AdapterClient): void {
    this.target = target;
  }

  send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    if (!this.target) {
      return Promise.reject(new RuntimeUnavailable('adapter', 'the adapter is still starting'));
    }
    return this.target.send(pattern, request);
  }
}
