import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors } from '../../http/validation-errors';
import { paperInstallation } from '../../testing/paper-objects';
import { InstallationDto } from './installation.dto';

async function fieldErrors(body: unknown) {
  const errors = await validate(plainToInstance(InstallationDto, body) as object, {
    stopAtFirstError: true,
  });
  return flattenValidationErrors(errors);
}

describe('installation field rules', () => {
  it('accepts the paper object', async () => {
    expect(await fieldErrors(paperInstallation())).toEqual([]);
  });

  it('refuses null for an optional field, saying to leave it out', async () => {
    const body = paperInstallation() as unknown as {
      jobConfig: { connectors: Record<string, unknown> };
    };
    body.jobConfig.connectors.prefetch = null;
    expect(await fieldErrors(body)).toEqual([
      { field: 'jobConfig.connectors.prefetch', reason: 'must be left out rather than null' },
    ]);
  });

  it('names the AMQP rule a connector name breaks', async () => {
    const body = paperInstallation();
    body.jobConfig.connectors.outputRoutingKey = 'k'.repeat(300);
    expect(await fieldErrors(body)).toEqual([
      {
        field: 'jobConfig.connectors.outputRoutingKey',
        reason: 'must be at most 255 bytes of UTF-8 (has 300)',
      },
    ]);
  });
});
