import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, ValidateIf } from 'class-validator';
import type { UninstallRequest } from '@ruleshift/contracts';
import { JobInfoDto } from './job-info.dto';

/** `POST /api/uninstall`: the jobInfo, plus whether to keep the rule's input queue(s). */
export class UninstallRequestDto extends JobInfoDto implements UninstallRequest {
  @ApiPropertyOptional({
    example: false,
    description:
      'Keep the input queue(s) and what waits in them. Default: deleted with the rule unless ' +
      'another job that is not UNINSTALLED reads the same queue on the same endpoint. The ' +
      "rule's dead-letter queue is always deleted.",
  })
  // Absent means false; null is not a boolean and gets a 400.
  @ValidateIf((request: UninstallRequestDto) => request.keepInputQueue !== undefined)
  @IsBoolean()
  keepInputQueue?: boolean;
}
