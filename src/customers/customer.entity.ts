import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Instant } from '../time';

/** A tenant of the platform; every access key belongs to exactly one. */
@Entity({ name: 'customers' })
export class Customer {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'tm_create', type: 'timestamptz' })
  tmCreate!: Instant;

  @Column({ name: 'tm_update', type: 'timestamptz' })
  tmUpdate!: Instant;
}
