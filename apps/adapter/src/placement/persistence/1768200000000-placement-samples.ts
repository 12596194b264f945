import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The placement service's recent samples of each auto rule, so that an adapter taking over
 * goes on from them instead of starting from zero (docs/decisions.md).
 */
export class PlacementSamples1768200000000 implements MigrationInterface {
  name = 'PlacementSamples1768200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE job_placement ADD COLUMN samples jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE job_placement DROP COLUMN samples`);
  }
}
