import type { DataSource } from 'typeorm';

/** The one lease row: whoever holds it unexpired is the registry's active adapter. */
export const REGISTRY_LEASE_NAME = 'registry';

/**
 * SQL condition "`:owner` holds the lease now", evaluated by the database in the same statement
 * as the write it guards, so an adapter whose lease expired cannot write operations even if it
 * has not noticed yet (fencing). Expiry uses the database's clock, never an adapter's.
 */
export const HOLDS_LEASE_SQL =
  `EXISTS (SELECT 1 FROM adapter_lease lease WHERE lease.name = '${REGISTRY_LEASE_NAME}' ` +
  `AND lease.holder = :owner AND lease.expires_at > now())`;

export interface LeaseState {
  holder: string;
  expiresAt: Date;
}

/** The registry's leadership lease (a row with holder and expiry, not an advisory lock). */
export abstract class RegistryLease {
  /**
   * Takes the lease for `holder` when it is free, expired or already `holder`'s, and extends it
   * to now + ttlMs. False when another holder has it unexpired.
   */
  abstract acquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Lets a standby take over at once (graceful shutdown); no-op unless `holder` has it. */
  abstract release(holder: string): Promise<void>;
  /** Removes the lease whoever holds it (only when no other process can hold it). */
  abstract clear(): Promise<void>;
  abstract current(): Promise<LeaseState | null>;
  /** Whether `holder` has the lease unexpired now. */
  abstract holds(holder: string): Promise<boolean>;
}

export class TypeormRegistryLease extends RegistryLease {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async acquire(holder: string, ttlMs: number): Promise<boolean> {
    // One statement: concurrent candidates serialise on the row, exactly one wins.
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO adapter_lease (name, holder, acquired_at, expires_at)
       VALUES ($1, $2, now(), now() + $3::int * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET
         holder = EXCLUDED.holder,
         acquired_at = CASE WHEN adapter_lease.holder = EXCLUDED.holder
                            THEN adapter_lease.acquired_at ELSE now() END,
         expires_at = EXCLUDED.expires_at
       WHERE adapter_lease.holder = EXCLUDED.holder OR adapter_lease.expires_at <= now()
       RETURNING holder`,
      [REGISTRY_LEASE_NAME, holder, Math.ceil(ttlMs)],
    );
    return rows.length === 1;
  }

  async release(holder: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM adapter_lease WHERE name = $1 AND holder = $2`, [
      REGISTRY_LEASE_NAME,
      holder,
    ]);
  }

  async clear(): Promise<void> {
    await this.dataSource.query(`DELETE FROM adapter_lease WHERE name = $1`, [REGISTRY_LEASE_NAME]);
  }

  async current(): Promise<LeaseState | null> {
    const rows: { holder: string; expires_at: Date | string }[] = await this.dataSource.query(
      `SELECT holder, expires_at FROM adapter_lease WHERE name = $1 AND expires_at > now()`,
      [REGISTRY_LEASE_NAME],
    );
    const row = rows[0];
    return row ? { holder: row.holder, expiresAt: new Date(row.expires_at) } : null;
  }

  async holds(holder: string): Promise<boolean> {
    return (await this.current())?.holder === holder;
  }
}
