import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { API_ROLES, type ApiRole } from '@ruleshift/contracts';

export class CreateTokenDto {
  @ApiProperty({ example: 'ci-pipeline', description: 'What the key is for (shown in lists)' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: API_ROLES })
  @IsIn([...API_ROLES])
  role!: ApiRole;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z', description: 'Refused from then on' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}
