import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Accesskey } from '../keys/accesskey.entity';

/**
 * The declared schema of the webhook tables (the migration creates them;
 * test/schema.test.ts holds the two equal). Queries go through
 * endpoint.store.ts, delivery.store.ts and reminder.store.ts: these classes are
 * never instantiated.
 */

@Entity({ name: 'webhook_endpoints' })
@Index('ix_webhook_endpoints_customer', ['customerId', 'tmCreate', 'id'])
export class WebhookEndpointTable {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  @ForeignKey(() => Customer, { name: 'webhook_endpoints_customer_id_fkey', onDelete: 'CASCADE' })
  customerId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed!: string | null;

  @Column({ name: 'tm_previous_secret_expire', type: 'timestamptz', nullable: true })
  tmPreviousSecretExpire!: Date | null;

  @Column({ name: 'tm_create', type: 'timestamptz' })
  tmCreate!: Date;

  @Column({ name: 'tm_update', type: 'timestamptz' })
  tmUpdate!: Date;

  @Column({ name: 'tm_disable', type: 'timestamptz', nullable: true })
  tmDisable!: Date | null;

  @Column({ name: 'tm_failing_since', type: 'timestamptz', nullable: true })
  tmFailingSince!: Date | null;
}

@Entity({ name: 'webhook_deliveries' })
@Index('ix_webhook_deliveries_due', ['tmNextAttempt'], { where: "status = 'PENDING'" })
@Index('ix_webhook_deliveries_endpoint', ['endpointId', 'tmCreate', 'id'])
@Check('webhook_deliveries_status_check', "status IN ('PENDING', 'DELIVERED', 'FAILED')")
export class WebhookDeliveryTable {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  @ForeignKey(() => WebhookEndpointTable, { name: 'webhook_deliveries_endpoint_id_fkey', onDelete: 'CASCADE' })
  endpointId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'tm_next_attempt', type: 'timestamptz' })
  tmNextAttempt!: Date;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken!: string | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_response', type: 'text', nullable: true })
  lastResponse!: string | null;

  @Column({ name: 'tm_create', type: 'timestamptz' })
  tmCreate!: Date;

  @Column({ name: 'tm_update', type: 'timestamptz' })
  tmUpdate!: Date;

  @Column({ name: 'tm_delivered', type: 'timestamptz', nullable: true })
  tmDelivered!: Date | null;
}

@Entity({ name: 'expiry_reminders' })
export class ExpiryReminderTable {
  @PrimaryColumn({ name: 'accesskey_id', type: 'uuid' })
  @ForeignKey(() => Accesskey, { name: 'expiry_reminders_accesskey_id_fkey', onDelete: 'CASCADE' })
  accesskeyId!: string;

  @PrimaryColumn({ type: 'integer' })
  days!: number;

  @PrimaryColumn({ name: 'tm_expire', type: 'timestamptz' })
  tmExpire!: Date;

  @Column({ name: 'tm_sent', type: 'timestamptz' })
  tmSent!: Date;
}
