import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import type { Instant } from '../time';

/** A customer's registered receiver. The signing secret is never a field: it is shown once, in the creating answer. */
@ObjectType('WebhookEndpoint', { description: 'Where the customer receives signed events. The signing secret is never shown here.' })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'The event types it receives; `*` means all.' })
  events!: string[];

  @Field(() => String)
  description!: string;

  @Field(() => Boolean)
  get disabled(): boolean {
    return this.tmDisable !== null;
  }

  @Field(() => DateTimeScalar)
  tmCreate!: Instant;

  @Field(() => DateTimeScalar)
  tmUpdate!: Instant;

  @Field(() => DateTimeScalar, { nullable: true })
  tmDisable!: Instant | null;

  /** AES-256-GCM ciphertext of the signing secret (see webhook.crypto.ts). Never exposed. */
  secretSealed!: string;
  /** The secret before the last rotation, still signing until `tmPreviousSecretExpire`. Never exposed. */
  previousSecretSealed!: string | null;
  tmPreviousSecretExpire!: Instant | null;
  /** Since when every delivery has failed (`null`: the last one succeeded). */
  tmFailingSince!: Instant | null;
}

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DeliveryStatusEnum = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', FAILED: 'FAILED' } as const;
registerEnumType(DeliveryStatusEnum, { name: 'WebhookDeliveryStatus', description: 'PENDING: waiting for an attempt; DELIVERED: answered 2xx; FAILED: retries exhausted.' });

@ObjectType('WebhookDelivery', { description: 'One event for one endpoint; its id is the `webhook-id` header, the same on every attempt.' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => DeliveryStatusEnum)
  status!: DeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: 'The first 1 KiB of the last answer body.' })
  lastResponse!: string | null;

  @Field(() => DateTimeScalar)
  tmCreate!: Instant;

  @Field(() => DateTimeScalar, { nullable: true })
  tmNextAttempt!: Instant | null;

  @Field(() => DateTimeScalar, { nullable: true })
  tmDelivered!: Instant | null;

  customerId!: string;
  /** The signed body. */
  payload!: string;
}

@ObjectType()
export class WebhookPageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class WebhookEndpointEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => WebhookEndpoint)
  node!: WebhookEndpoint;
}

@ObjectType()
export class WebhookEndpointConnection {
  @Field(() => [WebhookEndpointEdge])
  edges!: WebhookEndpointEdge[];

  @Field(() => [WebhookEndpoint])
  nodes!: WebhookEndpoint[];

  @Field(() => WebhookPageInfo)
  pageInfo!: WebhookPageInfo;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => WebhookDelivery)
  node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => [WebhookDelivery])
  nodes!: WebhookDelivery[];

  @Field(() => WebhookPageInfo)
  pageInfo!: WebhookPageInfo;
}

/** The one answer that carries a signing secret. */
@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: 'The signing secret (whsec_…). It is shown only here and cannot be retrieved again.' })
  secret!: string;
}

@ObjectType()
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: 'The new signing secret. It is shown only here; the old one also signs until the grace period ends.' })
  secret!: string;
}
