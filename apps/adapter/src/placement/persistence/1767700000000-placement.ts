import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Placement policies and the placement service's decisions (issue 11), both cascading with
 * their job, and the evacuation flag of moves. Hand-written: PostgreSQL and PGlite run the same SQL.
 */
export class Placement1767700000000 implements MigrationInterface {
  name = 'Placement1767700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE job_placement (
        job_id uuid PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
        policy jsonb NOT NULL,
        paused_until timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE placement_decision (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        action text NOT NULL,
        kind text NOT NULL,
        from_placement text NOT NULL,
        to_placement text,
        reason text NOT NULL,
        dry_run boolean NOT NULL,
        outcome text,
        capacity_per_s double precision,
        signals jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX placement_decision_job_idx ON placement_decision (job_id, id)`);
    await db.query(`CREATE INDEX placement_decision_at_idx ON placement_decision (at)`);
    await db.query(
      `ALTER TABLE move_operation ADD COLUMN source_lost boolean NOT NULL DEFAULT false`,
    );
    await db.query(`ALTER TABLE move_operation ADD COLUMN reason text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE move_operation DROP COLUMN reason`);
    await db.query(`ALTER TABLE move_operation DROP COLUMN source_lost`);
    await db.query(`DROP TABLE placement_decision`);
    await db.query(`DROP TABLE job_placement`);
  }
}
