import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Action } from '../scopes';
import type { GraphQLContext } from '../graphql/context';
import { requestContext } from '../graphql/context';
import { parsePageRequest } from '../pagination';
import { WEBHOOK_EVENT_TYPES } from './webhook.events';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryFilter } from './webhook.inputs';
import { DEFAULT_SECRET_GRACE_SECONDS, MAX_SECRET_GRACE_SECONDS } from './webhook.service';
import type { Page, WebhookService } from './webhook.service';
import {
  CreateWebhookEndpointPayload, RotateWebhookSecretPayload, WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint, WebhookEndpointConnection,
} from './webhook.types';

const connection = <T>(page: Page<T>) => ({
  edges: page.items.map((node, i) => ({ node, cursor: page.cursors[i] })),
  nodes: [...page.items],
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
});

const pageOf = (first: number | null, after: string | null) => parsePageRequest({ size: first ?? undefined, token: after, fields: { size: 'first', token: 'after' } });

/** GraphQL face of `WebhookService`. Agents only (customer admins, super admins): a leaked key must not silence its alerts. */
@Resolver()
export class WebhookResolver {
  constructor(private readonly service: WebhookService) {}

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => CreateWebhookEndpointPayload, { description: 'Registers an endpoint; the answer holds its signing secret, shown only here.' })
  async createWebhookEndpoint(@Ctx() ctx: GraphQLContext, @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput): Promise<CreateWebhookEndpointPayload> {
    return this.service.create(await requestContext(ctx), input);
  }

  @Authorized<Action>('webhooks:manage')
  @Query(() => [String], { description: 'Every event type an endpoint may subscribe to (`*` subscribes to all of them), so a frontend never keeps its own copy.' })
  webhookEventTypes(): string[] {
    return [...WEBHOOK_EVENT_TYPES];
  }

  @Authorized<Action>('webhooks:manage')
  @Query(() => WebhookEndpointConnection, { description: "The customer's webhook endpoints, newest first." })
  async webhookEndpoints(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('customerId', () => ID, { nullable: true, description: "Super admins: another customer's." }) customerId: string | null,
  ): Promise<WebhookEndpointConnection> {
    return connection(await this.service.list(await requestContext(ctx), pageOf(first, after), customerId));
  }

  @Authorized<Action>('webhooks:manage')
  @Query(() => WebhookEndpoint, { description: 'One endpoint of the customer (NOT_FOUND for any other).' })
  async webhookEndpoint(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpoint> {
    return this.service.get(await requestContext(ctx), id);
  }

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => WebhookEndpoint)
  async updateWebhookEndpoint(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return this.service.update(await requestContext(ctx), id, input);
  }

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => WebhookEndpoint, { description: 'Deletes the endpoint and its deliveries.' })
  async deleteWebhookEndpoint(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookEndpoint> {
    return this.service.delete(await requestContext(ctx), id);
  }

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => RotateWebhookSecretPayload, { description: 'A new signing secret; during the grace period each delivery carries both signatures.' })
  async rotateWebhookSecret(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('gracePeriod', () => Int, { nullable: true, description: `Seconds the old secret also signs, 0 to ${MAX_SECRET_GRACE_SECONDS}; default ${DEFAULT_SECRET_GRACE_SECONDS}.` })
    gracePeriod: number | null,
  ): Promise<RotateWebhookSecretPayload> {
    return this.service.rotateSecret(await requestContext(ctx), id, gracePeriod);
  }

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => WebhookDelivery, { description: 'Queues a webhook.test event to this endpoint only.' })
  async sendTestWebhook(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    return this.service.sendTest(await requestContext(ctx), id);
  }

  @Authorized<Action>('webhooks:manage')
  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first." })
  async webhookDeliveries(
    @Ctx() ctx: GraphQLContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true }) filter: WebhookDeliveryFilter | null,
  ): Promise<WebhookDeliveryConnection> {
    return connection(await this.service.deliveries(await requestContext(ctx), endpointId, pageOf(first, after), filter?.status ?? null));
  }

  @Authorized<Action>('webhooks:manage')
  @Mutation(() => WebhookDelivery, { description: 'Queues a delivery again from its first attempt, with the same webhook-id.' })
  async redeliverWebhook(@Ctx() ctx: GraphQLContext, @Arg('deliveryId', () => ID) deliveryId: string): Promise<WebhookDelivery> {
    return this.service.redeliver(await requestContext(ctx), deliveryId);
  }
}
