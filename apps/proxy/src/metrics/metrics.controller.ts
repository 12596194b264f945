import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ADAPTER_CLIENT, type AdapterClient } from '@ruleshift/contracts';
import { contentType } from 'prom-client';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ProcessMetrics } from './process-metrics';

/**
 * Prometheus scrape endpoint: this process's default metrics, then ruleshift's own (rules,
 * agents, operation durations) as the adapter renders them. A viewer token is required, like
 * every other read (Prometheus sends it with `authorization: { credentials_file: ... }`).
 */
@ApiTags('platform')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('viewer')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient,
    @Inject(ProcessMetrics) private readonly process: ProcessMetrics,
  ) {}

  @Get()
  @Header('content-type', contentType)
  @ApiOperation({ summary: 'Metrics in the Prometheus text format (prom-client)' })
  @ApiProduces(contentType)
  @ApiOkResponse({ description: 'ruleshift_* metrics plus the process default metrics' })
  async scrape(): Promise<string> {
    const [own, rules] = await Promise.all([
      this.process.registry.metrics(),
      this.adapter.send('metrics.scrape', {}),
    ]);
    return `${own}\n${rules.text}`;
  }
}
