import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Connectors, ExchangeType, InputConnector } from '@ruleshift/contracts';

export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'topic', 'fanout', 'headers'];

/** Additive: the second input of two-input templates (window-join). */
export class InputConnectorDto implements InputConnector {
  @ApiProperty({
    example: 'edge',
    description: 'Broker name (`edge`, `core`) or amqp://host:port/vhost',
  })
  @IsString()
  @IsNotEmpty()
  endpoint!: string;

  @ApiProperty({ example: 'humidity' })
  @IsString()
  @IsNotEmpty()
  exchange!: string;

  @ApiProperty({ example: 'join-humidity-in' })
  @IsString()
  @IsNotEmpty()
  queue!: string;

  @ApiProperty({ example: 'sensors' })
  @IsString()
  routingKey!: string;

  @ApiPropertyOptional({ enum: EXCHANGE_TYPES })
  @IsOptional()
  @IsIn(EXCHANGE_TYPES)
  exchangeType?: ExchangeType;
}

/** `jobConfig.connectors` exactly as in the paper, plus optional additive fields. */
export class ConnectorsDto implements Connectors {
  @ApiProperty({
    example: 'edge',
    description: 'Broker name (`edge`, `core`) or amqp://host:port/vhost',
  })
  @IsString()
  @IsNotEmpty()
  inputEndpoint!: string;

  @ApiProperty({ example: 'sensors' })
  @IsString()
  @IsNotEmpty()
  inputExchange!: string;

  @ApiProperty({ example: 'filter-in' })
  @IsString()
  @IsNotEmpty()
  inputQueue!: string;

  @ApiProperty({ example: 'temperature' })
  @IsString()
  inputRoutingKey!: string;

  @ApiProperty({ example: 'edge' })
  @IsString()
  @IsNotEmpty()
  outputEndpoint!: string;

  @ApiProperty({ example: 'alerts' })
  @IsString()
  @IsNotEmpty()
  outputExchange!: string;

  @ApiProperty({ example: 'hot' })
  @IsString()
  outputRoutingKey!: string;

  @ApiPropertyOptional({ enum: EXCHANGE_TYPES, default: 'direct' })
  @IsOptional()
  @IsIn(EXCHANGE_TYPES)
  exchangeType?: ExchangeType;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535, default: 256 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  prefetch?: number;

  @ApiPropertyOptional({ type: () => InputConnectorDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InputConnectorDto)
  secondInput?: InputConnectorDto;
}

export class JobConfigDto {
  @ApiProperty({ type: () => ConnectorsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectorsDto)
  connectors!: ConnectorsDto;
}
