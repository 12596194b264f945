import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the Flink driver: uploaded jars per cluster and each rule's deployment. */
export class FlinkDeployments1767312000000 implements MigrationInterface {
  name = 'FlinkDeployments1767312000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE flink_jar (
        cluster text NOT NULL,
        template_version text NOT NULL,
        sha256 text NOT NULL,
        jar_id text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster, template_version, sha256)
      )`);
    await db.query(`
      CREATE TABLE flink_deployment (
        job_id uuid PRIMARY KEY,
        cluster text NOT NULL,
        job_type text NOT NULL,
        template_version text NOT NULL,
        jar_sha256 text NOT NULL,
        jar_id text NOT NULL,
        entry_class text NOT NULL,
        config jsonb NOT NULL,
        flink_job_id text,
        savepoint_path text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX flink_deployment_cluster_idx ON flink_deployment (cluster)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE flink_deployment`);
    await db.query(`DROP TABLE flink_jar`);
  }
}
