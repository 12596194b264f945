import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pipelines and their stages' jobs. Hand-written: PostgreSQL and PGlite run the same SQL. */
export class Pipelines1767600000000 implements MigrationInterface {
  name = 'Pipelines1767600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE pipeline (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        definition jsonb NOT NULL,
        stages jsonb NOT NULL,
        exchanges jsonb NOT NULL,
        operation text,
        operation_owner text,
        failure_reason text,
        removed_at timestamptz,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE UNIQUE INDEX pipeline_live_name ON pipeline (name) WHERE removed_at IS NULL`,
    );
    await db.query(`CREATE INDEX pipeline_created_idx ON pipeline (created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE pipeline`);
  }
}
