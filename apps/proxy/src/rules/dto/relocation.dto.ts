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
    description: 'Additive: accept dropping window state the target cannot carry',
  })
  @IsBoolean()
  @IsOptionalNotNull()
  dropState?: boolean;
}
