import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsObject,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  PIPELINE_NAME_PATTERN,
  type PipelineObject,
  type PipelineStage,
} from '@ruleshift/contracts';
import { ConnectorsDto } from '../../rules/dto/connectors.dto';
import { IsOptionalNotNull } from '../../rules/dto/field-rules';
import { InstallationHeadersDto } from '../../rules/dto/installation.dto';

const NAME_RULE = 'must be 1-63 letters, digits, - or _, starting with a letter or digit';
/** The adapter's bound (MAX_STAGES) checked early, before a huge list is walked. */
const MAX_STAGES = 64;

/** A stage's connectors: each field as in /api/install, any of them left for the wiring. */
export class StageConnectorsDto extends PartialType(ConnectorsDto, { skipNullProperties: false }) {}

export class StageJobConfigDto {
  @ApiProperty({ type: () => StageConnectorsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StageConnectorsDto)
  connectors!: StageConnectorsDto;
}

export class PipelineStageDto implements PipelineStage {
  @ApiProperty({ example: 'hot' })
  @IsString()
  @Matches(PIPELINE_NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['hot'],
    description: 'Stages this one reads, in input order (window-join: left, then right)',
  })
  @IsArray()
  @IsString({ each: true })
  @IsOptionalNotNull()
  from?: string[];

  @ApiProperty({ type: () => InstallationHeadersDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstallationHeadersDto)
  headers!: InstallationHeadersDto;

  @ApiProperty({ type: () => StageJobConfigDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StageJobConfigDto)
  jobConfig!: StageJobConfigDto;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  jobProps!: Record<string, unknown>;
}

/** `POST /api/pipelines`: the graph is checked as a whole by the adapter. */
export class PipelineDto implements PipelineObject {
  @ApiProperty({ example: 'overheat' })
  @IsString()
  @Matches(PIPELINE_NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiProperty({ type: () => [PipelineStageDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_STAGES)
  @ValidateNested({ each: true })
  @Type(() => PipelineStageDto)
  stages!: PipelineStageDto[];
}
