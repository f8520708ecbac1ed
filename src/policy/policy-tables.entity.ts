import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Accesskey } from '../keys/accesskey.entity';

/**
 * The declared schema of `accesskey_usage` (the migration creates it;
 * test/schema.test.ts holds the two equal). Queries go through usage.store.ts:
 * this class is never instantiated.
 */
@Entity({ name: 'accesskey_usage' })
@Index('ix_accesskey_usage_hour', ['tmHour'])
export class AccesskeyUsageTable {
  @PrimaryColumn({ name: 'accesskey_id', type: 'uuid' })
  @ForeignKey(() => Accesskey, { name: 'accesskey_usage_accesskey_id_fkey', onDelete: 'CASCADE' })
  accesskeyId!: string;

  @PrimaryColumn({ name: 'tm_hour', type: 'timestamptz' })
  tmHour!: Date;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  outcome!: string;

  @Column({ type: 'bigint' })
  count!: string;
}

/**
 * The declared schema of `rate_limit_counters`, in the layout
 * rate-limiter-flexible reads and writes (stores.ts); never instantiated.
 */
@Entity({ name: 'rate_limit_counters' })
export class RateLimitCounterTable {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  points!: number;

  @Column({ type: 'bigint', nullable: true })
  expire!: string | null;
}
