import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('flink_jar')
export class FlinkJarEntity {
  @PrimaryColumn({ type: 'text' })
  cluster!: string;

  @PrimaryColumn({ name: 'template_version', type: 'text' })
  templateVersion!: string;

  @PrimaryColumn({ type: 'text' })
  sha256!: string;

  @Column({ name: 'jar_id', type: 'text' })
  jarId!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;
}
