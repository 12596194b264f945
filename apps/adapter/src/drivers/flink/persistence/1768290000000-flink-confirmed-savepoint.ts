import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stop savepoint whose unconfirmed outputs the broker confirmed before the job ended
 * FINISHED: a start from it tells the job's sinks not to publish them again.
 */
export class FlinkConfirmedSavepoint1768290000000 implements MigrationInterface {
  name = 'FlinkConfirmedSavepoint1768290000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE flink_deployment ADD COLUMN confirmed_savepoint_path text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE flink_deployment DROP COLUMN confirmed_savepoint_path`);
  }
}
