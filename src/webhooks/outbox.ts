import { randomUUID } from 'node:crypto';
import type { AuditFollower, InlineEvent } from '../audit/audit.log';
import { SqlValue, jsonPieces, jsonTextSql } from '../db/json-text';
import type { AuditEvent } from '../audit/audit.types';
import type { Queryable } from '../db/sql';
import { AccesskeyStore } from '../keys/accesskey.store';
import type { Clock } from '../time';
import { DeliveryStore } from './delivery.store';
import { EndpointStore } from './endpoint.store';
import { auditData, eventBody, eventEnvelope, eventTypeOfAudit, keyData } from './webhook.events';
import type { EventData, WebhookEventType } from './webhook.events';

/**
 * The outbox: writes one delivery row per subscribed endpoint in the
 * transaction of the change an event reports, so a change that rolls back
 * sends nothing and a committed one is never lost. Costs one indexed lookup
 * per recorded change when the customer has no endpoint for it.
 */
export class Outbox implements AuditFollower {
  private readonly endpoints: EndpointStore;
  private readonly deliveries: DeliveryStore;
  private readonly listeners = new Set<() => void>();

  constructor(
    db: Queryable,
    private readonly clock: Clock,
  ) {
    this.endpoints = new EndpointStore(db);
    this.deliveries = new DeliveryStore(db);
  }

  /** Called when this process has queued something (the worker looks soon, once the transaction has likely committed). */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the worker to look soon. */
  wake(): void {
    for (const listener of this.listeners) listener();
  }

  async recorded(tx: Queryable, event: AuditEvent): Promise<void> {
    const type = eventTypeOfAudit(event.action);
    if (type === null || event.customerId === null || event.targetId === null) return;
    const endpoints = await this.endpoints.subscribed(event.customerId, type, tx);
    if (endpoints.length === 0) return;
    const key = await new AccesskeyStore(tx).findById(event.targetId);
    const base: EventData = key ? keyData(key) : { customer_id: event.customerId, accesskey_id: event.targetId };
    await this.write(tx, endpoints.map((e) => e.id), event.customerId, type, { ...base, ...auditData(type, event) });
  }

  /**
   * The same as `recorded`, as part of the statement that records the event
   * with its change: the key's fields are read from the changed row (its
   * `accesskeys` row), the rest is known now, and the endpoints are looked up
   * by the statement itself.
   */
  inline(event: InlineEvent, param: (value: unknown) => string): { sql: string; written(rows: number): void } | null {
    const type = eventTypeOfAudit(event.action);
    if (type === null || event.customerId === null || event.targetId === null) return null;
    const key = (column: string) => new SqlValue(`changed.${column}`) as unknown as string;
    const data = {
      ...keyData({ id: key('id'), customerId: key('customer_id'), name: key('name'), tokenPrefix: key('token_prefix') }),
      ...auditData(type, event as unknown as AuditEvent),
    };
    // The text eventBody() writes, with the key's fields written by the statement.
    const payload = jsonTextSql(jsonPieces(eventEnvelope(type, event.time, data), false), param);
    return {
      sql: DeliveryStore.insertForSubscribedSql('changed', 'audit_event', event.customerId, type, payload, event.time, param),
      written: (rows) => {
        if (rows > 0) this.wake();
      },
    };
  }

  /** Queues an event of `type` for the customer's subscribed endpoints (or only `endpointId`), in `tx`. */
  async enqueue(tx: Queryable, customerId: string, type: WebhookEventType, data: EventData, endpointId?: string): Promise<string[]> {
    const ids = endpointId ? [endpointId] : (await this.endpoints.subscribed(customerId, type, tx)).map((e) => e.id);
    return this.write(tx, ids, customerId, type, data);
  }

  private async write(tx: Queryable, endpointIds: readonly string[], customerId: string, type: WebhookEventType, data: EventData): Promise<string[]> {
    const now = this.clock.now();
    const payload = eventBody(type, now, data);
    const ids: string[] = [];
    for (const endpointId of endpointIds) {
      const id = randomUUID();
      await this.deliveries.insert({ id, endpointId, customerId, eventType: type, payload, now }, tx);
      ids.push(id);
    }
    if (ids.length > 0) this.wake();
    return ids;
  }
}
