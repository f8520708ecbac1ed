import type { Attribution } from '../audit/audit.types';
import type { Services } from '../app/app';
import type { Database } from '../db/database';
import { MAX_PAGE_SIZE } from '../pagination';
import type { PagePosition } from '../pagination';
import { DELIVERY_STATUSES } from '../webhooks/webhook.types';
import type { DeliveryStatus, WebhookDelivery, WebhookEndpoint } from '../webhooks/webhook.types';
import { UsageError } from './args';

type Flags = Map<string, string>;
type Handler = (ctx: { readonly db: Database; readonly services: Services }, flags: Flags) => Promise<unknown>;

function required(flags: Flags, name: string): string {
  const value = flags.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** An endpoint as the CLI prints it: never its secret (only `webhook create` prints that, once). */
const endpointWire = (e: WebhookEndpoint) => ({
  id: e.id, customer_id: e.customerId, url: e.url, events: e.events, description: e.description, disabled: e.tmDisable !== null,
  tm_create: e.tmCreate.toISOString(), tm_update: e.tmUpdate.toISOString(), tm_disable: e.tmDisable?.toISOString() ?? null,
});

const deliveryWire = (d: WebhookDelivery) => ({
  id: d.id, endpoint_id: d.endpointId, event_type: d.eventType, status: d.status, attempts: d.attempts, last_status_code: d.lastStatusCode,
  last_error: d.lastError, tm_create: d.tmCreate.toISOString(), tm_next_attempt: d.tmNextAttempt?.toISOString() ?? null, tm_delivered: d.tmDelivered?.toISOString() ?? null,
});

/** Reads every page (at most `limit` items). */
async function all<T extends { tmCreate: WebhookEndpoint['tmCreate']; id: string }>(
  limit: number,
  read: (size: number, after: PagePosition | null) => Promise<{ items: readonly T[]; hasNextPage: boolean }>,
): Promise<T[]> {
  const result: T[] = [];
  let after: PagePosition | null = null;
  while (result.length < limit) {
    const page = await read(Math.min(MAX_PAGE_SIZE, limit - result.length), after);
    result.push(...page.items);
    const last = page.items.at(-1);
    if (!page.hasNextPage || !last) break;
    after = { tmCreate: last.tmCreate, id: last.id };
  }
  return result;
}

function limitOf(flags: Flags): number {
  const text = flags.get('limit');
  if (text !== undefined && !/^[1-9]\d{0,8}$/.test(text)) throw new UsageError('--limit must be a whole number, 1 or more');
  return text === undefined ? Infinity : Number(text);
}

/** `webhook create|list|delete|deliveries`: operator commands on any customer's endpoints. */
export function webhookCommands(by: Attribution): Record<string, Handler> {
  return {
    'webhook create': async ({ services }, flags) => {
      const events = required(flags, 'events').split(',').map((e) => e.trim());
      const { endpoint, secret } = await services.webhooks.service.createForCustomer(
        required(flags, 'customer'),
        { url: required(flags, 'url'), events, description: flags.get('description') ?? '' },
        by,
      );
      return { endpoint: endpointWire(endpoint), secret };
    },
    'webhook list': async ({ services }, flags) => {
      const customerId = required(flags, 'customer');
      const service = services.webhooks.service;
      const items = await all(limitOf(flags), (size, after) => service.listForCustomer(customerId, { size, after }));
      return { result: items.map(endpointWire) };
    },
    'webhook delete': async ({ services }, flags) => endpointWire(await services.webhooks.service.deleteById(null, required(flags, 'id'), by)),
    'webhook deliveries': async ({ services }, flags) => {
      const endpointId = required(flags, 'endpoint');
      const status = flags.get('status') ?? null;
      if (status !== null && !(DELIVERY_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
      const service = services.webhooks.service;
      const items = await all(limitOf(flags), (size, after) => service.deliveriesOf(null, endpointId, { size, after }, status as DeliveryStatus | null));
      return { result: items.map(deliveryWire) };
    },
  };
}
