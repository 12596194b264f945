import { RuntimeUnavailable, type RuntimeKind } from '@ruleshift/contracts';
import type { RuntimeDriver } from './runtime-driver';

/** Runtime drivers keyed by runtime kind; hosts add drivers (e.g. Flink) at module creation. */
export class DriverRegistry {
  private readonly drivers = new Map<RuntimeKind, RuntimeDriver>();

  constructor(drivers: RuntimeDriver[] = []) {
    for (const driver of drivers) this.register(driver);
  }

  register(driver: RuntimeDriver): void {
    this.drivers.set(driver.kind, driver);
  }

  has(kind: RuntimeKind): boolean {
    return this.drivers.has(kind);
  }

  /** @param field request field to blame when the runtime kind is not enabled */
  get(kind: RuntimeKind, field = 'headers.runtime'): RuntimeDriver {
    const driver = this.drivers.get(kind);
    if (!driver)
      throw new RuntimeUnavailable(field, `runtime ${kind} is not enabled on this adapter`);
    return driver;
  }

  kinds(): RuntimeKind[] {
    return [...this.drivers.keys()];
  }
}
