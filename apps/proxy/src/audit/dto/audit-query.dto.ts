import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'Entries per page, 1 to 500 (default 50)' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,2}$/, { message: 'must be an integer from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextBefore of the previous page' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'must be an audit entry id' })
  before?: string;
}
