import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  RUNTIME_KINDS,
  type InstallationHeaders,
  type InstallationObject,
  type RuntimeKind,
} from '@ruleshift/contracts';
import { JobConfigDto } from './connectors.dto';
import { IsOptionalNotNull, MAX_NAME_LENGTH } from './field-rules';
import { PlacementPolicyDto } from './placement-policy.dto';

export class InstallationHeadersDto implements InstallationHeaders {
  @ApiProperty({ enum: RUNTIME_KINDS, example: 'edge' })
  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind;

  @ApiProperty({ example: 'local', description: 'Agent id (edge) or Flink cluster name (flink)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  targetResource!: string;

  @ApiProperty({ example: 'filter', description: 'A template from GET /api/templates' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  jobType!: string;
}

/** The paper's installation object. jobProps are checked by the adapter against the template. */
export class InstallationDto implements InstallationObject {
  @ApiProperty({ type: () => InstallationHeadersDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstallationHeadersDto)
  headers!: InstallationHeadersDto;

  @ApiProperty({ type: () => JobConfigDto })
  @IsObject()
  @ValidateNested()
  @Type(() => JobConfigDto)
  jobConfig!: JobConfigDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "Template parameters; schema in the template's jobPropsSchema",
    example: {
      condition: '>',
      threshold: 20,
      fieldName: 'temperature',
      fieldJsonPath: '$.temperature',
    },
  })
  @IsObject()
  jobProps!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: () => PlacementPolicyDto,
    description: 'Who places the rule; default { "mode": "manual" }. Checked by the adapter.',
  })
  @IsObject()
  @IsOptionalNotNull()
  placement?: PlacementPolicyDto;
}
