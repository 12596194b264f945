import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One active adapter per registry: the lease row it renews, and the owner (the lease holder's
 * term) recorded on every operation, so a successor resumes only what a dead owner left.
 * Also records whether a move drops window state (decided once, from the template).
 */
export class AdapterLeadership1767398400000 implements MigrationInterface {
  name = 'AdapterLeadership1767398400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE adapter_lease (
        name text PRIMARY KEY,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`ALTER TABLE job ADD COLUMN operation_owner text`);
    await db.query(`ALTER TABLE move_operation ADD COLUMN owner text`);
    await db.query(
      `ALTER TABLE move_operation ADD COLUMN drops_state boolean NOT NULL DEFAULT false`,
    );
    // Paging orders jobs by (created_at, id); retention finds old uninstalled jobs.
    await db.query(`CREATE INDEX job_created_idx ON job (created_at, id)`);
    await db.query(`CREATE INDEX job_status_updated_idx ON job (status, updated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX job_status_updated_idx`);
    await db.query(`DROP INDEX job_created_idx`);
    await db.query(`ALTER TABLE move_operation DROP COLUMN drops_state`);
    await db.query(`ALTER TABLE move_operation DROP COLUMN owner`);
    await db.query(`ALTER TABLE job DROP COLUMN operation_owner`);
    await db.query(`DROP TABLE adapter_lease`);
  }
}
