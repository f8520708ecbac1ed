import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import type { Instant } from '../time';

/** A person who belongs to a customer and logs in with a username and password. */
@Entity({ name: 'agents' })
// Also `ux_agents_username_live` on lower(username COLLATE "C") WHERE tm_delete IS NULL: an expression index, which TypeORM cannot declare.
@Index('ix_agents_customer', ['customerId'])
export class Agent {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  @ForeignKey(() => Customer, { name: 'agents_customer_id_fkey', onDelete: 'RESTRICT' })
  customerId!: string;

  /** Unique among live agents, compared case-insensitively. */
  @Column({ type: 'varchar', length: 255 })
  username!: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  name!: string;

  /** scrypt hash (see agents/password.ts). Never exposed, never logged. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** The platform's permission bit flags. */
  @Column({ type: 'integer' })
  permission!: number;

  /**
   * Raised to end every session of the agent at once (password change,
   * logout). A session token carries the generation it was issued under.
   */
  @Column({ name: 'session_generation', type: 'integer', default: 0 })
  sessionGeneration!: number;

  @Column({ name: 'tm_create', type: 'timestamptz' })
  tmCreate!: Instant;

  @Column({ name: 'tm_update', type: 'timestamptz' })
  tmUpdate!: Instant;

  @Column({ name: 'tm_delete', type: 'timestamptz', nullable: true })
  tmDelete!: Instant | null;
}
