import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class CreateAgentDto {
  @ApiProperty({ example: 'gw-1', description: 'The agent id (AGENT_ID of the agent process)' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: 'agentId must be 1-128 letters, digits, ".", "_" or "-", starting alphanumeric',
  })
  agentId!: string;
}
