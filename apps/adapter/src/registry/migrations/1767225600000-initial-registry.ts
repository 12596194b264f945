import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written so PostgreSQL and embedded PGlite run the exact same SQL. */
export class InitialRegistry1767225600000 implements MigrationInterface {
  name = 'InitialRegistry1767225600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE job (
        id uuid PRIMARY KEY,
        job_type text NOT NULL,
        template_version text NOT NULL,
        runtime text NOT NULL,
        target_resource text NOT NULL,
        status text NOT NULL,
        config jsonb NOT NULL,
        config_file_name text NOT NULL,
        failure_reason text,
        operation text,
        snapshot jsonb,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX job_placement_idx ON job (runtime, target_resource)`);
    await db.query(`
      CREATE TABLE job_status_history (
        id serial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
        status text NOT NULL,
        runtime text NOT NULL,
        target_resource text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX job_status_history_job_idx ON job_status_history (job_id, id)`);
    await db.query(`
      CREATE TABLE runtime (
        kind text NOT NULL,
        target_resource text NOT NULL,
        health text NOT NULL DEFAULT 'UNKNOWN',
        started_at timestamptz,
        last_seen_at timestamptz,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (kind, target_resource)
      )`);
    await db.query(`
      CREATE TABLE template (
        job_type text NOT NULL,
        version text NOT NULL,
        manifest jsonb NOT NULL,
        synced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_type, version)
      )`);
    await db.query(`
      CREATE TABLE move_operation (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
        from_runtime text NOT NULL,
        from_resource text NOT NULL,
        to_runtime text NOT NULL,
        to_resource text NOT NULL,
        was_running boolean NOT NULL,
        carry_state boolean NOT NULL,
        step text NOT NULL,
        snapshot jsonb,
        state text NOT NULL,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one unfinished move per job.
    await db.query(
      `CREATE UNIQUE INDEX move_operation_one_in_progress ON move_operation (job_id) WHERE state = 'IN_PROGRESS'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE move_operation`);
    await db.query(`DROP TABLE template`);
    await db.query(`DROP TABLE runtime`);
    await db.query(`DROP TABLE job_status_history`);
    await db.query(`DROP TABLE job`);
  }
}
