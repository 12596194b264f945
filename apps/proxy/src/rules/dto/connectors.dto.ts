import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Connectors, ExchangeType, InputConnector } from '@ruleshift/contracts';
import { IsAmqpName, IsOptionalNotNull } from './field-rules';

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
  @IsAmqpName('exchange')
  exchange!: string;

  @ApiProperty({ example: 'join-humidity-in' })
  @IsString()
  @IsNotEmpty()
  @IsAmqpName('queue')
  queue!: string;

  @ApiProperty({ example: 'sensors' })
  @IsString()
  @IsAmqpName('routingKey')
  routingKey!: string;

  @ApiPropertyOptional({ enum: EXCHANGE_TYPES })
  @IsIn(EXCHANGE_TYPES)
  @IsOptionalNotNull()
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
  @IsAmqpName('exchange')
  inputExchange!: string;

  @ApiProperty({ example: 'filter-in' })
  @IsString()
  @IsNotEmpty()
  @IsAmqpName('queue')
  inputQueue!: string;

  @ApiProperty({ example: 'temperature' })
  @IsString()
  @IsAmqpName('routingKey')
  inputRoutingKey!: string;

  @ApiProperty({ example: 'edge' })
  @IsString()
  @IsNotEmpty()
  outputEndpoint!: string;

  @ApiProperty({ example: 'alerts' })
  @IsString()
  @IsNotEmpty()
  @IsAmqpName('exchange')
  outputExchange!: string;

  @ApiProperty({ example: 'hot' })
  @IsString()
  @IsAmqpName('routingKey')
  outputRoutingKey!: string;

  @ApiPropertyOptional({ enum: EXCHANGE_TYPES, default: 'direct' })
  @IsIn(EXCHANGE_TYPES)
  @IsOptionalNotNull()
  exchangeType?: ExchangeType;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535, default: 256 })
  @IsInt()
  @Min(1)
  @Max(65535)
  @IsOptionalNotNull()
  prefetch?: number;

  @ApiPropertyOptional({ type: () => InputConnectorDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InputConnectorDto)
  @IsOptionalNotNull()
  secondInput?: InputConnectorDto;
}

export class JobConfigDto {
  @ApiProperty({ type: () => ConnectorsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectorsDto)
  connectors!: ConnectorsDto;
}
