import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys (hash only) and the audit log. Hand-written: PostgreSQL and PGlite run the same SQL. */
export class ApiAccess1767400000000 implements MigrationInterface {
  name = 'ApiAccess1767400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        secret_hash text NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        subject text NOT NULL,
        role text NOT NULL,
        operation text NOT NULL,
        job_id text,
        body_digest text,
        status_code integer NOT NULL,
        client_address text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_entry`);
    await db.query(`DROP TABLE api_token`);
  }
}
