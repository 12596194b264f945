import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import type { AdapterApi, AdapterPattern } from '@ruleshift/contracts';
import { AdapterHandlers } from './adapter-handlers';
import { toErrorBody } from './error-body';

type Req<P extends AdapterPattern> = AdapterApi[P]['request'];
type Res<P extends AdapterPattern> = Promise<AdapterApi[P]['response']>;

/** The adapter's side of the proxy<->adapter channel (Nest RMQ transport, ADAPTER_QUEUE). */
@Controller()
export class AdapterMessageController {
  constructor(@Inject(AdapterHandlers) private readonly handlers: AdapterHandlers) {}

  @MessagePattern('rules.install')
  install(@Payload() r: Req<'rules.install'>): Res<'rules.install'> {
    return this.run('rules.install', r);
  }

  @MessagePattern('rules.uninstall')
  uninstall(@Payload() r: Req<'rules.uninstall'>): Res<'rules.uninstall'> {
    return this.run('rules.uninstall', r);
  }

  @MessagePattern('rules.start')
  start(@Payload() r: Req<'rules.start'>): Res<'rules.start'> {
    return this.run('rules.start', r);
  }

  @MessagePattern('rules.stop')
  stop(@Payload() r: Req<'rules.stop'>): Res<'rules.stop'> {
    return this.run('rules.stop', r);
  }

  @MessagePattern('rules.move')
  move(@Payload() r: Req<'rules.move'>): Res<'rules.move'> {
    return this.run('rules.move', r);
  }

  @MessagePattern('jobs.list')
  listJobs(@Payload() r: Req<'jobs.list'>): Res<'jobs.list'> {
    return this.run('jobs.list', r);
  }

  @MessagePattern('jobs.get')
  getJob(@Payload() r: Req<'jobs.get'>): Res<'jobs.get'> {
    return this.run('jobs.get', r);
  }

  @MessagePattern('jobs.config')
  getJobConfig(@Payload() r: Req<'jobs.config'>): Res<'jobs.config'> {
    return this.run('jobs.config', r);
  }

  @MessagePattern('runtimes.list')
  listRuntimes(@Payload() r: Req<'runtimes.list'>): Res<'runtimes.list'> {
    return this.run('runtimes.list', r);
  }

  @MessagePattern('templates.list')
  listTemplates(@Payload() r: Req<'templates.list'>): Res<'templates.list'> {
    return this.run('templates.list', r);
  }

  @MessagePattern('health')
  health(@Payload() r: Req<'health'>): Res<'health'> {
    return this.run('health', r);
  }

  private async run<P extends AdapterPattern>(pattern: P, request: Req<P>): Res<P> {
    try {
      return await this.handlers.handle(pattern, request ?? {});
    } catch (err) {
      throw new RpcException(toErrorBody(err));
    }
  }
}
