import { RuntimeUnavailable } from '@ruleshift/contracts';

/**
 * Who registry writes of operations are made for: the current leadership term of this adapter
 * (AdapterLeadership). Jobs and moves record it, and every such write is fenced on that term
 * still holding the registry lease.
 */
export abstract class OperationOwner {
  abstract current(): string;
}

export class FixedOperationOwner extends OperationOwner {
  constructor(private readonly id: string) {
    super();
  }

  current(): string {
    return this.id;
  }
}

/**
 * A write was refused because this adapter no longer holds the registry lease. It maps to 503
 * (the request was not carried out here), and the operation is left for the active adapter.
 */
export class LeadershipLost extends RuntimeUnavailable {
  constructor() {
    super(
      'adapter',
      'this adapter is not the active one (it lost or never had the registry lease)',
    );
  }
}
