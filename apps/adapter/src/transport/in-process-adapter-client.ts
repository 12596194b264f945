import { Inject, Injectable } from '@nestjs/common';
import type { AdapterApi, AdapterClient, AdapterPattern } from '@ruleshift/contracts';
import { AdapterHandlers } from './adapter-handlers';
import { toRuleshiftError } from './error-body';

/**
 * AdapterClient for one process (`npm start`): calls the same handlers the RMQ controller
 * uses. Requests and responses go through JSON like on the wire, so neither side can rely on
 * sharing objects (Dates, class instances) with the other.
 */
@Injectable()
export class InProcessAdapterClient implements AdapterClient {
  constructor(@Inject(AdapterHandlers) private readonly handlers: AdapterHandlers) {}

  async send<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    const wire = JSON.parse(JSON.stringify(request ?? {})) as AdapterApi[P]['request'];
    try {
      const response = await this.handlers.handle(pattern, wire);
      return JSON.parse(JSON.stringify(response)) as AdapterApi[P]['response'];
    } catch (err) {
      throw toRuleshiftError(err);
    }
  }
}
