import type { AuditAction, AuditEvent, AuditJson } from '../audit/audit.types';
import type { Accesskey } from '../keys/accesskey.entity';
import type { Instant } from '../time';

/** Every event type an endpoint may subscribe to (`*`: all of them). One list: inputs, docs and the outbox read it. */
export const WEBHOOK_EVENT_TYPES = [
  'accesskey.created',
  'accesskey.updated',
  'accesskey.deleted',
  'accesskey.rotated',
  'accesskey.disabled',
  'accesskey.enabled',
  'accesskey.leak_reported',
  'accesskey.canary_used',
  'accesskey.expiring',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const ALL_EVENTS = '*';

export const isWebhookEventType = (value: unknown): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(value);

/** The audit actions that are also events for the customer's endpoints. */
const FROM_AUDIT: Partial<Record<AuditAction, WebhookEventType>> = {
  'accesskey.create': 'accesskey.created',
  'accesskey.update': 'accesskey.updated',
  'accesskey.delete': 'accesskey.deleted',
  'accesskey.rotate': 'accesskey.rotated',
  'accesskey.disable': 'accesskey.disabled',
  'accesskey.enable': 'accesskey.enabled',
  'accesskey.leak_reported': 'accesskey.leak_reported',
  'accesskey.canary_used': 'accesskey.canary_used',
};

export const eventTypeOfAudit = (action: string): WebhookEventType | null => FROM_AUDIT[action as AuditAction] ?? null;

export type EventData = Record<string, AuditJson>;

/** What every event about a key says of it: never its token or hash. */
export function keyData(key: Pick<Accesskey, 'id' | 'customerId' | 'name' | 'tokenPrefix'>): EventData {
  return { customer_id: key.customerId, accesskey_id: key.id, name: key.name, token_prefix: key.tokenPrefix };
}

/** The details an audit event adds to its webhook event (only named fields: nothing else of the trail leaks out). */
export function auditData(type: WebhookEventType, event: AuditEvent): EventData {
  const detail = event.detail ?? {};
  const after = event.after ?? {};
  const pick = (from: Record<string, AuditJson>, ...names: string[]): EventData =>
    Object.fromEntries(names.filter((n) => from[n] !== undefined).map((n) => [n, from[n]]));
  switch (type) {
    case 'accesskey.created':
      return pick(after, 'tm_expire', 'scopes');
    case 'accesskey.updated':
      // A rename carries name and detail; a usage-policy change its whole policy after it (never a token).
      return pick(after, 'name', 'detail', 'policy');
    case 'accesskey.deleted':
      return pick(after, 'tm_delete');
    case 'accesskey.disabled':
      return pick(after, 'tm_disable');
    case 'accesskey.rotated': {
      const created = (detail.new_accesskey ?? {}) as Record<string, AuditJson>;
      return {
        ...pick(after, 'tm_expire'),
        grace_period: detail.grace_period ?? null,
        new_accesskey_id: created.id ?? null,
        new_token_prefix: created.token_prefix ?? null,
      };
    }
    case 'accesskey.leak_reported':
      return { ...pick(detail, 'url', 'source', 'policy', 'changed'), ...pick(after, 'tm_disable', 'tm_delete') };
    case 'accesskey.canary_used':
      return pick(detail, 'via', 'method', 'route');
    default:
      return {};
  }
}

/** The body as Standard Webhooks has it: `{type, timestamp, data}`. */
export function eventBody(type: WebhookEventType, at: Instant, data: EventData): string {
  return JSON.stringify(eventEnvelope(type, at, data));
}

/** The body before it is written as text. */
export const eventEnvelope = <D>(type: WebhookEventType, at: Instant, data: D): { type: WebhookEventType; timestamp: string; data: D } => ({
  type,
  timestamp: at.toISOString(),
  data,
});

/** Does an endpoint subscribed to `events` get an event of `type`? */
export const subscribes = (events: readonly string[], type: WebhookEventType): boolean => events.includes(ALL_EVENTS) || events.includes(type);
