import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import {
  JOB_STATUSES,
  RUNTIME_KINDS,
  type JobInfo,
  type JobStatus,
  type RuntimeKind,
} from '@ruleshift/contracts';
import { IsOptionalNotNull, MAX_NAME_LENGTH } from './field-rules';

const ACCEPTED_STATUSES: readonly JobStatus[] = [...JOB_STATUSES, 'FAILED'];

/** The paper's jobInfo object: what install returns and what start/stop/uninstall/move take. */
export class JobInfoDto implements JobInfo {
  @ApiProperty({ enum: RUNTIME_KINDS, example: 'edge' })
  @IsIn(RUNTIME_KINDS)
  runtime!: RuntimeKind;

  @ApiProperty({ example: '3f1c2a9e-6a43-4c61-9d1a-0c4d1f2b7e55' })
  @IsString()
  @IsNotEmpty()
  jobId!: string;

  @ApiProperty({ example: 'filter' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  jobType!: string;

  @ApiProperty({ enum: ACCEPTED_STATUSES, example: 'INSTALLED' })
  @IsIn(ACCEPTED_STATUSES)
  jobStatus!: JobStatus;

  @ApiProperty({ example: '3f1c2a9e-6a43-4c61-9d1a-0c4d1f2b7e55.json' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  configFileName!: string;

  @ApiPropertyOptional({ example: 'local', description: 'Additive: where the rule is placed now' })
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  @IsOptionalNotNull()
  targetResource?: string;
}
