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
import {
  MAX_RULE_PARALLELISM,
  type Connectors,
  type ExchangeType,
  type InputConnector,
  type PartitionKey,
} from '@ruleshift/contracts';
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

  @ApiPropertyOptional({
    description:
      'With jobConfig.parallelism > 1: what RabbitMQ hashes to pick the partition queue of an ' +
      'event (the events of one key stay in one partition, in order). `source`: `header` (with ' +
      '`name`), `property` (`name`: message_id, correlation_id or timestamp) or `routingKey` ' +
      '(topic/headers/fanout input exchanges). Checked by the adapter.',
    example: { source: 'header', name: 'deviceId' },
  })
  @IsObject()
  @IsOptionalNotNull()
  partitionKey?: PartitionKey;
}

export class JobConfigDto {
  @ApiProperty({ type: () => ConnectorsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ConnectorsDto)
  connectors!: ConnectorsDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_RULE_PARALLELISM,
    default: 1,
    description:
      'Flink only: N > 1 reads the input through a consistent-hash exchange into N partition ' +
      'queues, consumed by N Flink source subtasks; needs connectors.partitionKey',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RULE_PARALLELISM)
  @IsOptionalNotNull()
  parallelism?: number;
}
