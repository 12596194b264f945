import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ADAPTER_CLIENT, type AdapterClient, type HealthReport } from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Public, Roles } from '../auth/roles.decorator';

@ApiTags('platform')
@UseGuards(ApiAuthGuard)
@Controller('api/health')
export class HealthController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  /** Liveness for probes and load balancers: no token, and nothing about the deployment. */
  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness of the HTTP API (no token needed, no details)' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 with the adapter's report whenever the adapter answers (its components say what is
   * degraded); 503 when the adapter itself cannot be reached, so probes restart the right thing.
   */
  @Get('details')
  @Roles('viewer')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Health of the proxy, the adapter and what the adapter depends on' })
  async health(@Res() response: Response): Promise<void> {
    let report: HealthReport;
    try {
      const adapterReport = await this.adapter.send('health', {});
      report = {
        status: adapterReport.status,
        components: {
          proxy: { status: 'up' },
          adapter: { status: 'up' },
          ...adapterReport.components,
        },
      };
    } catch (error) {
      report = {
        status: 'degraded',
        components: {
          proxy: { status: 'up' },
          adapter: {
            status: 'down',
            detail: error instanceof Error ? error.message : String(error),
          },
        },
      };
      response.status(503).json(report);
      return;
    }
    response.status(200).json(report);
  }
}
