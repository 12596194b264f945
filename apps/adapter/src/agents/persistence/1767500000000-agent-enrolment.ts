import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Enrolled agents: a one-time token (hash only) until enrolment, then the agent's public key. */
export class AgentEnrolment1767500000000 implements MigrationInterface {
  name = 'AgentEnrolment1767500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE agent (
        agent_id text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('PENDING', 'ENROLLED', 'REVOKED')),
        enrolment_token_hash text,
        enrolment_expires_at timestamptz,
        public_key text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        enrolled_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE agent`);
  }
}
