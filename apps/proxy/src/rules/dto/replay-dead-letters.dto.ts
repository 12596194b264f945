import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

/** `POST /api/jobs/{jobId}/deadletters/replay`: how many of the oldest dead letters to replay. */
export class ReplayDeadLettersDto {
  @ApiPropertyOptional({
    example: 10,
    description: 'Replay the oldest `count` dead letters (default: every one waiting).',
  })
  // Absent means all; null is not an integer and gets a 400.
  @ValidateIf((request: ReplayDeadLettersDto) => request.count !== undefined)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  count?: number;
}
