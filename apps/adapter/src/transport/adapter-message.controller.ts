import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, RmqContext, RpcException } from '@nestjs/microservices';
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
  install(@Payload() r: Req<'rules.install'>, @Ctx() ctx?: RmqContext): Res<'rules.install'> {
    return this.run('rules.install', r, ctx);
  }

  @MessagePattern('rules.uninstall')
  uninstall(@Payload() r: Req<'rules.uninstall'>, @Ctx() ctx?: RmqContext): Res<'rules.uninstall'> {
    return this.run('rules.uninstall', r, ctx);
  }

  @MessagePattern('rules.start')
  start(@Payload() r: Req<'rules.start'>, @Ctx() ctx?: RmqContext): Res<'rules.start'> {
    return this.run('rules.start', r, ctx);
  }

  @MessagePattern('rules.stop')
  stop(@Payload() r: Req<'rules.stop'>, @Ctx() ctx?: RmqContext): Res<'rules.stop'> {
    return this.run('rules.stop', r, ctx);
  }

  @MessagePattern('rules.move')
  move(@Payload() r: Req<'rules.move'>, @Ctx() ctx?: RmqContext): Res<'rules.move'> {
    return this.run('rules.move', r, ctx);
  }

  @MessagePattern('jobs.list')
  listJobs(@Payload() r: Req<'jobs.list'>, @Ctx() ctx?: RmqContext): Res<'jobs.list'> {
    return this.run('jobs.list', r, ctx);
  }

  @MessagePattern('jobs.get')
  getJob(@Payload() r: Req<'jobs.get'>, @Ctx() ctx?: RmqContext): Res<'jobs.get'> {
    return this.run('jobs.get', r, ctx);
  }

  @MessagePattern('jobs.config')
  getJobConfig(@Payload() r: Req<'jobs.config'>, @Ctx() ctx?: RmqContext): Res<'jobs.config'> {
    return this.run('jobs.config', r, ctx);
  }

  @MessagePattern('runtimes.list')
  listRuntimes(@Payload() r: Req<'runtimes.list'>, @Ctx() ctx?: RmqContext): Res<'runtimes.list'> {
    return this.run('runtimes.list', r, ctx);
  }

  @MessagePattern('templates.list')
  listTemplates(
    @Payload() r: Req<'templates.list'>,
    @Ctx() ctx?: RmqContext,
  ): Res<'templates.list'> {
    return this.run('templates.list', r, ctx);
  }

  @MessagePattern('health')
  health(@Payload() r: Req<'health'>, @Ctx() ctx?: RmqContext): Res<'health'> {
    return this.run('health', r, ctx);
  }

  @MessagePattern('tokens.create')
  createToken(@Payload() r: Req<'tokens.create'>, @Ctx() ctx?: RmqContext): Res<'tokens.create'> {
    return this.run('tokens.create', r, ctx);
  }

  @MessagePattern('tokens.list')
  listTokens(@Payload() r: Req<'tokens.list'>, @Ctx() ctx?: RmqContext): Res<'tokens.list'> {
    return this.run('tokens.list', r, ctx);
  }

  @MessagePattern('tokens.revoke')
  revokeToken(@Payload() r: Req<'tokens.revoke'>, @Ctx() ctx?: RmqContext): Res<'tokens.revoke'> {
    return this.run('tokens.revoke', r, ctx);
  }

  @MessagePattern('tokens.verify')
  verifyToken(@Payload() r: Req<'tokens.verify'>, @Ctx() ctx?: RmqContext): Res<'tokens.verify'> {
    return this.run('tokens.verify', r, ctx);
  }

  @MessagePattern('audit.record')
  recordAudit(@Payload() r: Req<'audit.record'>, @Ctx() ctx?: RmqContext): Res<'audit.record'> {
    return this.run('audit.record', r, ctx);
  }

  @MessagePattern('audit.list')
  listAudit(@Payload() r: Req<'audit.list'>, @Ctx() ctx?: RmqContext): Res<'audit.list'> {
    return this.run('audit.list', r, ctx);
  }

  /**
   * Requests are acked on receipt (the transport runs with noAck false only so that prefetch
   * bounds concurrency). Redelivering a request after an adapter crash would repeat a
   * non-idempotent install the proxy has already given up on; an interrupted move is instead
   * resumed from its persisted steps at the next boot.
   */
  private async run<P extends AdapterPattern>(
    pattern: P,
    request: Req<P>,
    ctx?: RmqContext,
  ): Res<P> {
    ackRequest(ctx);
    try {
      return await this.handlers.handle(pattern, request ?? {});
    } catch (err) {
      throw new RpcException(toErrorBody(err));
    }
  }
}

function ackRequest(ctx: RmqContext | undefined): void {
  // The in-process transport and unit tests call handlers without an RMQ context.
  if (!ctx || typeof ctx.getChannelRef !== 'function') return;
  const channel = ctx.getChannelRef() as { ack(message: unknown): void };
  channel.ack(ctx.getMessage());
}
