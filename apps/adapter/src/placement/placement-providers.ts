import type { Provider } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { REGISTRY_DATA_SOURCE } from '../shared/tokens';
import { CandidateFitness } from './candidate-fitness';
import {
  PlacementRepository,
  TypeormPlacementRepository,
} from './persistence/placement.repository';
import { PlacementCheck } from './placement-check';
import { PlacementPause } from './placement-pause';
import { LivePlacementSignalSource } from './signals/live-placement-signal-source';
import { PlacementSignalSource } from './signals/placement-signal-source';
import { SampleWindow } from './signals/sample-window';
import { EvaluatePlacementUseCase } from './usecases/evaluate-placement/evaluate-placement.usecase';
import { ListPlacementDecisionsUseCase } from './usecases/list-placement-decisions/list-placement-decisions.usecase';
import { SetPlacementUseCase } from './usecases/set-placement/set-placement.usecase';

/** Placement policies: their registry tables, the signals, the service's round, the API. */
export const PLACEMENT_PROVIDERS: Provider[] = [
  {
    provide: PlacementRepository,
    useFactory: (ds: DataSource) => new TypeormPlacementRepository(ds),
    inject: [REGISTRY_DATA_SOURCE],
  },
  { provide: PlacementSignalSource, useClass: LivePlacementSignalSource },
  SampleWindow,
  CandidateFitness,
  PlacementCheck,
  PlacementPause,
  EvaluatePlacementUseCase,
  SetPlacementUseCase,
  ListPlacementDecisionsUseCase,
];
