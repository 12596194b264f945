import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry, collectDefaultMetrics, contentType } from 'prom-client';
import { ScrapeMetricsUseCase } from './usecases/scrape-metrics/scrape-metrics.usecase';

/**
 * `GET /metrics` on the adapter's HTTP port (its own process only): the adapter process's
 * default metrics and ruleshift's. Like the artifacts it serves, the port is internal: no token
 * (restrict who reaches it by network policy).
 */
@Controller('metrics')
export class AdapterMetricsController {
  private readonly process = new Registry();

  constructor(@Inject(ScrapeMetricsUseCase) private readonly scrape: ScrapeMetricsUseCase) {
    collectDefaultMetrics({ register: this.process });
  }

  @Get()
  @Header('content-type', contentType)
  async metrics(): Promise<string> {
    const [own, rules] = await Promise.all([this.process.metrics(), this.scrape.execute()]);
    return `${own}\n${rules.text}`;
  }
}
