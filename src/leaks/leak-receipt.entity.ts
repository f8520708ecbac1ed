import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Accesskey } from '../keys/accesskey.entity';

/**
 * The declared schema of `leak_report_receipts` (the migration creates it;
 * test/schema.test.ts holds the two equal). Queries go through
 * leak.receipts.ts: this class is never instantiated.
 */
@Entity({ name: 'leak_report_receipts' })
export class LeakReceiptTable {
  @PrimaryColumn({ name: 'accesskey_id', type: 'uuid' })
  @ForeignKey(() => Accesskey, { name: 'leak_report_receipts_accesskey_id_fkey', onDelete: 'CASCADE' })
  accesskeyId!: string;

  @PrimaryColumn({ name: 'report_digest', type: 'char', length: 64 })
  reportDigest!: string;

  @Column({ name: 'tm_received', type: 'timestamptz' })
  tmReceived!: Date;
}
