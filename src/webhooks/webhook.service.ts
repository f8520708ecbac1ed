import { randomUUID } from 'node:crypto';
import { Permission } from '../agents/permission';
import type { AuditLog } from '../audit/audit.log';
import { attributionOf } from '../audit/attribution';
import { cliAttribution } from '../audit/audit.types';
import type { Attribution } from '../audit/audit.types';
import type { Caller, RequestContext } from '../context';
import type { CustomerService } from '../customers/customer.service';
import type { Transactional } from '../db/sql';
import { AppError, invalidArgument, notFound } from '../errors';
import { assertCursorFor, cursorBinding, encodeCursor } from '../pagination';
import type { PageRequest } from '../pagination';
import type { Clock } from '../time';
import { assertUuid } from '../validation';
import { DeliveryStore } from './delivery.store';
import { EndpointStore } from './endpoint.store';
import type { Outbox } from './outbox';
import { checkWebhookUrl } from './ssrf';
import type { ReachPolicy } from './ssrf';
import { generateSecret } from './webhook.crypto';
import type { SecretBox } from './webhook.crypto';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES, isWebhookEventType } from './webhook.events';
import { MAX_DESCRIPTION_LENGTH } from './webhook.inputs';
import { WebhookEndpoint } from './webhook.types';
import type { DeliveryStatus, WebhookDelivery } from './webhook.types';

export interface WebhookServiceDeps {
  readonly db: Transactional;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly customers: CustomerService;
  readonly clock: Clock;
  /** Seals signing secrets; `null` when no WEBHOOK_SECRET_KEY is available (webhooks are off). */
  readonly box: SecretBox | null;
  readonly reach: ReachPolicy;
}

export interface NewEndpoint {
  readonly url: string;
  readonly events: readonly string[];
  readonly description?: string | null;
}

export interface EndpointUpdate {
  readonly url?: string | null;
  readonly events?: readonly string[] | null;
  readonly description?: string | null;
  readonly disabled?: boolean | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
}

export const DEFAULT_SECRET_GRACE_SECONDS = 86400;
export const MAX_SECRET_GRACE_SECONDS = 2592000;
const MAX_EVENTS = 32;

const OPERATOR = cliAttribution(null);

const isSuperAdmin = (caller: Caller) => caller.kind === 'agent' && (caller.permission & Permission.ProjectSuperAdmin) !== 0;

/** Checks an event list: distinct known types or `*`, at least one. */
export function parseEvents(events: readonly string[], field = 'events'): string[] {
  const rule = `must be a non-empty list of distinct event types from ${WEBHOOK_EVENT_TYPES.join(', ')}, or ${ALL_EVENTS}`;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS) throw invalidArgument(field, rule);
  if (new Set(events).size !== events.length || !events.every((e) => e === ALL_EVENTS || isWebhookEventType(e))) throw invalidArgument(field, rule);
  return [...events];
}

/**
 * Customer webhook endpoints: registration (the URL checked against SSRF, the
 * secret sealed), rotation with a grace period, test events, deliveries and
 * redelivery. Customer admins manage their own customer's, super admins any.
 */
export class WebhookService {
  private readonly endpoints: EndpointStore;
  private readonly deliveryStore: DeliveryStore;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.endpoints = new EndpointStore(deps.db);
    this.deliveryStore = new DeliveryStore(deps.db);
  }

  private box(): SecretBox {
    if (!this.deps.box) {
      throw new AppError('FAILED_PRECONDITION', 'WEBHOOKS_OFF', 'Webhooks need WEBHOOK_SECRET_KEY on this server (PostgreSQL: every replica must share it).');
    }
    return this.deps.box;
  }

  /** The customer a caller acts for: its own, or for a super admin any it names. */
  private customerFor(caller: Caller, customerId: string | null | undefined): string {
    if (customerId === null || customerId === undefined || customerId === caller.customerId) return caller.customerId;
    assertUuid(customerId, 'customerId');
    if (!isSuperAdmin(caller)) throw notFound('The customer');
    return customerId;
  }

  /** An endpoint the caller may manage; any other is "not found". */
  private async owned(caller: Caller | null, id: string, field = 'id'): Promise<WebhookEndpoint> {
    assertUuid(id, field);
    const endpoint = await this.endpoints.find(id);
    if (!endpoint || (caller && !isSuperAdmin(caller) && endpoint.customerId !== caller.customerId)) throw notFound('The webhook endpoint');
    return endpoint;
  }

  async create(ctx: RequestContext, input: NewEndpoint & { customerId?: string | null }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    return this.createForCustomer(this.customerFor(ctx.caller, input.customerId), input, attributionOf(ctx));
  }

  /** Registers an endpoint for any customer (operator commands); the secret is in the answer only. */
  async createForCustomer(customerId: string, input: NewEndpoint, by: Attribution = OPERATOR): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    assertUuid(customerId, 'customerId');
    const box = this.box();
    const url = (await checkWebhookUrl(String(input.url ?? ''), this.deps.reach)).toString();
    const events = parseEvents(input.events);
    const description = input.description ?? '';
    if (description.length > MAX_DESCRIPTION_LENGTH) throw invalidArgument('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
    const now = this.deps.clock.now();
    const secret = generateSecret();
    const id = randomUUID();
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id, customerId, url, events, description, secretSealed: box.seal(secret, id), previousSecretSealed: null, tmPreviousSecretExpire: null,
      tmCreate: now, tmUpdate: now, tmDisable: null, tmFailingSince: null,
    });
    await this.deps.db.transaction(async (tx) => {
      if (!(await this.deps.customers.exists(customerId, tx))) throw notFound('The customer');
      await this.endpoints.insert(endpoint, tx);
      await this.deps.audit.record(tx, { customerId, action: 'webhook.create', targetId: id, by, after: { url, events, description } });
    });
    return { endpoint, secret };
  }

  /** One endpoint the caller may manage (another customer's is not found). */
  get(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    return this.owned(ctx.caller, id);
  }

  list(ctx: RequestContext, page: PageRequest, customerId?: string | null): Promise<Page<WebhookEndpoint>> {
    return this.listForCustomer(this.customerFor(ctx.caller, customerId), page);
  }

  async listForCustomer(customerId: string, page: PageRequest): Promise<Page<WebhookEndpoint>> {
    assertUuid(customerId, 'customerId');
    // A cursor continues only the list it was made for.
    const binding = cursorBinding(['webhook_endpoints', customerId]);
    assertCursorFor(page, binding);
    const rows = await this.endpoints.list(customerId, page);
    const items = rows.slice(0, page.size);
    return { items, cursors: items.map((e) => encodeCursor(e.tmCreate, e.id, binding)), hasNextPage: rows.length > page.size };
  }

  async update(ctx: RequestContext, id: string, input: EndpointUpdate): Promise<WebhookEndpoint> {
    const current = await this.owned(ctx.caller, id);
    const url = input.url === undefined || input.url === null ? current.url : (await checkWebhookUrl(input.url, this.deps.reach)).toString();
    const events = input.events === undefined || input.events === null ? current.events : parseEvents(input.events);
    const description = input.description ?? current.description;
    const disabled = input.disabled ?? current.tmDisable !== null;
    const updated = await this.deps.db.transaction(async (tx) => {
      const done = await this.endpoints.update(id, { url, events, description, disabled }, this.deps.clock.now(), tx);
      if (done) {
        await this.deps.audit.record(tx, {
          customerId: current.customerId, action: 'webhook.update', targetId: id, by: attributionOf(ctx),
          before: { url: current.url, events: current.events, description: current.description, disabled: current.tmDisable !== null },
          after: { url, events, description, disabled },
        });
      }
      return done;
    });
    if (!updated) throw notFound('The webhook endpoint');
    return updated;
  }

  delete(ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    return this.deleteById(ctx.caller, id, attributionOf(ctx));
  }

  /** Deletes an endpoint and its deliveries; `caller` null: an operator command (any customer's). */
  async deleteById(caller: Caller | null, id: string, by: Attribution = OPERATOR): Promise<WebhookEndpoint> {
    const current = await this.owned(caller, id);
    const deleted = await this.deps.db.transaction(async (tx) => {
      const done = await this.endpoints.delete(id, tx);
      if (done) await this.deps.audit.record(tx, { customerId: current.customerId, action: 'webhook.delete', targetId: id, by, before: { url: current.url, events: current.events } });
      return done;
    });
    if (!deleted) throw notFound('The webhook endpoint');
    return current;
  }

  /** A new secret; the old one also signs for `gracePeriod` seconds (each delivery then carries both signatures). */
  async rotateSecret(ctx: RequestContext, id: string, gracePeriod?: number | null): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const grace = gracePeriod ?? DEFAULT_SECRET_GRACE_SECONDS;
    if (!Number.isInteger(grace) || grace < 0 || grace > MAX_SECRET_GRACE_SECONDS) {
      throw invalidArgument('gracePeriod', `must be an integer from 0 to ${MAX_SECRET_GRACE_SECONDS}`);
    }
    const box = this.box();
    const current = await this.owned(ctx.caller, id);
    const now = this.deps.clock.now();
    const secret = generateSecret();
    const endpoint = await this.deps.db.transaction(async (tx) => {
      const done = await this.endpoints.rotateSecret(id, box.seal(secret, id), current.secretSealed, now.plusSeconds(grace), now, tx);
      if (done) await this.deps.audit.record(tx, { customerId: current.customerId, action: 'webhook.rotate_secret', targetId: id, by: attributionOf(ctx), detail: { grace_period: grace } });
      return done;
    });
    if (!endpoint) throw notFound('The webhook endpoint');
    return { endpoint, secret };
  }

  /** Queues a `webhook.test` event for this endpoint only. */
  async sendTest(ctx: RequestContext, id: string): Promise<WebhookDelivery> {
    const endpoint = await this.owned(ctx.caller, id);
    const [deliveryId] = await this.deps.db.transaction(async (tx) => {
      await this.deps.audit.record(tx, { customerId: endpoint.customerId, action: 'webhook.test', targetId: id, by: attributionOf(ctx) });
      return this.deps.outbox.enqueue(tx, endpoint.customerId, 'webhook.test', { customer_id: endpoint.customerId, endpoint_id: id }, id);
    });
    return (await this.deliveryStore.find(deliveryId))!;
  }

  deliveries(ctx: RequestContext, endpointId: string, page: PageRequest, status: DeliveryStatus | null): Promise<Page<WebhookDelivery>> {
    return this.deliveriesOf(ctx.caller, endpointId, page, status);
  }

  /** An endpoint's deliveries, newest first; `caller` null: an operator command. */
  async deliveriesOf(caller: Caller | null, endpointId: string, page: PageRequest, status: DeliveryStatus | null): Promise<Page<WebhookDelivery>> {
    await this.owned(caller, endpointId, 'endpointId');
    const binding = cursorBinding(['webhook_deliveries', endpointId, status]);
    assertCursorFor(page, binding);
    const rows = await this.deliveryStore.list(endpointId, status, page);
    const items = rows.slice(0, page.size);
    return { items, cursors: items.map((d) => encodeCursor(d.tmCreate, d.id, binding)), hasNextPage: rows.length > page.size };
  }

  /** Queues a delivery again, from its first attempt, with the same `webhook-id`. */
  async redeliver(ctx: RequestContext, deliveryId: string): Promise<WebhookDelivery> {
    assertUuid(deliveryId, 'deliveryId');
    const found = await this.deliveryStore.find(deliveryId);
    if (!found) throw notFound('The webhook delivery');
    const endpoint = await this.owned(ctx.caller, found.endpointId).catch(() => {
      throw notFound('The webhook delivery');
    });
    const delivery = await this.deps.db.transaction(async (tx) => {
      const done = await this.deliveryStore.requeue(deliveryId, this.deps.clock.now(), tx);
      if (done) await this.deps.audit.record(tx, { customerId: endpoint.customerId, action: 'webhook.redeliver', targetId: deliveryId, by: attributionOf(ctx), detail: { endpoint_id: endpoint.id } });
      return done;
    });
    if (!delivery) throw notFound('The webhook delivery');
    this.deps.outbox.wake();
    return delivery;
  }
}
