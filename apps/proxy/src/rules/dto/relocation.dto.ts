import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { RUNTIME_KINDS, type RelocationObject, type RuntimeKind } from '@ruleshift/contracts';
import { IsOptionalNotNull, MAX_NAME_LENGTH } from './field-rules';
import { JobInfoDto } from './job-info.dto';

/** The paper's relocation object; `target_runtime` is snake_case as written there. */
export class RelocationDto implements RelocationObject {
  @ApiProperty({ enum: RUNTIME_KINDS, example: 'edge' })
  @IsIn(RUNTIME_KINDS)
  target_runtime!: RuntimeKind;

  @ApiProperty({ example: 'gw2' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  targetResource!: string;

  @ApiProperty({ type: () => JobInfoDto })
  @IsObject()
  @ValidateNested()
  @Type(() => JobInfoDto)
  jobInfo!: JobInfoDto;

  @ApiPropertyOptional({
    description:
      'Additive: move a stateful rule without its window state. true drops its open windows ' +
      'even where they could move with it (between agents, edge <-> Flink), and is required ' +
      'where they cannot (off a lost runtime); without it they move with the rule, and a move ' +
      'where they cannot is refused (400 naming dropState)',
  })
  @IsBoolean()
  @IsOptionalNotNull()
  dropState?: boolean;
}
