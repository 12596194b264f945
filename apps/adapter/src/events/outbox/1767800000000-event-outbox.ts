import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The job events' outbox. Hand-written: PostgreSQL and PGlite run the same SQL. */
export class EventOutbox1767800000000 implements MigrationInterface {
  name = 'EventOutbox1767800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_outbox (
        id bigserial PRIMARY KEY,
        event jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    // The relay reads the unpublished rows in id order; the purge reads the published ones.
    await db.query(
      `CREATE INDEX event_outbox_pending_idx ON event_outbox (id) WHERE published_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX event_outbox_published_idx ON event_outbox (published_at)
       WHERE published_at IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_outbox`);
  }
}
