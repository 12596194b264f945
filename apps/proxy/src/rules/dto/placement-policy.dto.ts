import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  DEFAULT_PLACEMENT_THRESHOLDS,
  PLACEMENT_MODES,
  type PlacementMode,
  type PlacementPolicy,
  type PlacementThresholds,
} from '@ruleshift/contracts';

/**
 * A rule's placement policy. The proxy checks the mode; the adapter checks the rest against the
 * rule (candidates, thresholds) and names each bad field.
 */
export class PlacementPolicyDto implements PlacementPolicy {
  @ApiProperty({ enum: PLACEMENT_MODES, example: 'auto' })
  @IsIn(PLACEMENT_MODES)
  mode!: PlacementMode;

  @ApiPropertyOptional({
    type: [String],
    example: ['edge/gw1', 'flink/flink'],
    description: 'auto: "<runtime>/<targetResource>" placements, the current one included',
  })
  candidates?: string[];

  @ApiPropertyOptional({ example: 'edge/gw1', description: 'auto: default the first candidate' })
  prefer?: string;

  @ApiPropertyOptional({ description: 'auto: decide and record, never move', default: false })
  dryRun?: boolean;

  @ApiPropertyOptional({
    description:
      'auto: permits moving a stateful rule without its open windows only where they cannot ' +
      'move with it (evacuating a lost runtime); between live runtimes they always move with ' +
      'the rule (unlike a move request, whose dropState: true drops them)',
    default: false,
  })
  dropState?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'auto: any of these (README "Placement policies"); a threshold of 0 is off',
    example: DEFAULT_PLACEMENT_THRESHOLDS,
  })
  thresholds?: Partial<PlacementThresholds>;
}
