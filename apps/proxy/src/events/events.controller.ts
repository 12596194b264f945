import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailed } from '@ruleshift/contracts';
import { EventPublisher, INGEST_BATCH_SIZE } from './event-publisher.service';
import { EventTail } from './event-tail.service';

const SSE_KEEPALIVE_MS = 15_000;
/** Events one POST may carry (the body is also bounded in bytes by the JSON body limit). */
export const MAX_EVENTS_PER_REQUEST = 100_000;

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly tail: EventTail,
  ) {}

  @Post(':exchange/:routingKey')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Publish one JSON event or an array of events to an edge exchange' })
  @ApiBody({
    schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
  })
  @ApiAcceptedResponse({ description: '{ published: n } once the broker confirmed every event' })
  @ApiResponse({
    status: 503,
    description: `A full queue (or a broker down) refused event body[i]; the events before it were published (in batches of ${INGEST_BATCH_SIZE})`,
  })
  async publish(
    @Param('exchange') exchange: string,
    @Param('routingKey') routingKey: string,
    @Req() request: Request,
    @Body() body: unknown,
  ): Promise<{ published: number }> {
    if (!request.is('application/json')) {
      throw new ValidationFailed([
        { field: 'body', reason: 'must be JSON (Content-Type: application/json)' },
      ]);
    }
    const events = Array.isArray(body) ? body : [body];
    if (events.length > MAX_EVENTS_PER_REQUEST) {
      throw new ValidationFailed([
        {
          field: 'body',
          reason: `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${events.length}`,
        },
      ]);
    }
    return { published: await this.publisher.publish(exchange, routingKey, events) };
  }

  @Get(':exchange/:routingKey/tail')
  @ApiOperation({
    summary: 'Server-Sent Events: every message routed to the exchange with the key',
  })
  @ApiProduces('text/event-stream')
  async tailEvents(
    @Param('exchange') exchange: string,
    @Param('routingKey') routingKey: string,
    @Res() response: Response,
  ): Promise<void> {
    // Bound before the headers go out, so a missing exchange is still a clean 404. Messages
    // that arrive before the headers are written wait in `early`.
    let early: string[] | null = [];
    const subscription = await this.tail.open(exchange, routingKey, (json) => {
      if (early) early.push(json);
      else response.write(`data: ${json}\n\n`);
    });
    response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(`: tailing ${exchange} ${routingKey}\n\n`);
    for (const json of early) response.write(`data: ${json}\n\n`);
    early = null;
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    keepalive.unref();
    // The response (not the request) closes when the client goes away.
    response.on('close', () => {
      clearInterval(keepalive);
      void subscription.close();
    });
  }
}
