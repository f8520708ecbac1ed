import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuthCache } from '../auth/auth-cache';
import type { RequestContext } from '../context';
import type { CustomerService } from '../customers/customer.service';
import { within } from '../db/sql';
import type { Queryable } from '../db/sql';
import { notFound, stateInvalid } from '../errors';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock } from '../time';
import { assertUuid } from '../validation';
import { Accesskey } from './accesskey.entity';
import type { CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';
import { AccesskeyStore } from './accesskey.store';
import { encodeCursor } from './pagination';
import type { PageRequest } from './pagination';
import { displayPrefix, generateToken, hashToken } from './token';

/** A newly created key and its token: the one and only time the token is available. */
export interface CreatedAccesskey {
  readonly accesskey: Accesskey;
  readonly token: string;
}

export interface AccesskeyPage {
  readonly items: readonly Accesskey[];
  /** Cursor of each item, in order. */
  readonly cursors: readonly string[];
  readonly nextPageToken: string | null;
}

/** Every rule about access keys: ownership, state, timestamps, tokens. */
export class AccesskeyService {
  private readonly store: AccesskeyStore;

  constructor(
    private readonly db: Queryable,
    private readonly customers: CustomerService,
    private readonly clock: Clock,
    /** Forgets a key's authentication the moment it stops working here (other replicas hear it from the database). */
    private readonly cache: Pick<AuthCache, 'dropKey'>,
    private readonly observer: Observer = noopObserver,
  ) {
    this.store = new AccesskeyStore(db);
  }

  /** Creates a key for the caller's customer and returns it with its token. */
  create(ctx: RequestContext, input: CreateAccesskeyInput): Promise<CreatedAccesskey> {
    return this.createForCustomer(ctx.caller.customerId, input);
  }

  /**
   * Creates a key for any customer (operator commands and first-start
   * provisioning, which pass their transaction's manager). The customer must exist.
   */
  async createForCustomer(customerId: string, input: CreateAccesskeyInput, manager?: EntityManager): Promise<CreatedAccesskey> {
    assertUuid(customerId, 'customer_id');
    const db = manager ? within(manager) : this.db;
    if (!(await this.customers.exists(customerId, db))) throw notFound('The customer');
    const now = this.clock.now();
    const token = generateToken();
    const accesskey = Object.assign(new Accesskey(), {
      id: randomUUID(),
      customerId,
      name: input.name ?? '',
      detail: input.detail ?? '',
      tokenHash: hashToken(token),
      tokenPrefix: displayPrefix(token),
      tmExpire: now.plusSeconds(input.expire),
      tmCreate: now,
      tmUpdate: now,
      tmDelete: null,
    });
    await this.store.insert(accesskey, db);
    // A "no such key" answer cached for this hash (only by someone guessing it) must not outlive the key's birth.
    this.cache.dropKey(accesskey.tokenHash);
    this.observer.accesskeyCreated();
    return { accesskey, token };
  }

  /**
   * The caller's keys that are not deleted (expired included), newest first,
   * keyset-paginated on (tm_create, id) so equal creation times are neither
   * skipped nor repeated.
   */
  async list(ctx: RequestContext, page: PageRequest): Promise<AccesskeyPage> {
    const rows = await this.store.listLive(ctx.caller.customerId, page);
    const items = rows.slice(0, page.size);
    const cursors = items.map((k) => encodeCursor(k.tmCreate, k.id));
    const nextPageToken = rows.length > page.size ? cursors[cursors.length - 1] : null;
    return { items, cursors, nextPageToken };
  }

  /** One of the caller's keys. Another customer's key is reported as not found. */
  async get(ctx: RequestContext, id: string): Promise<Accesskey> {
    assertUuid(id);
    const key = await this.store.findForCustomer(ctx.caller.customerId, id);
    if (!key) throw notFound('The access key');
    if (key.tmDelete) throw stateInvalid('The access key has been deleted.');
    return key;
  }

  /** Replaces name and detail (a missing one becomes empty) and sets tm_update. */
  async update(ctx: RequestContext, id: string, input: UpdateAccesskeyInput): Promise<Accesskey> {
    assertUuid(id);
    const key = await this.store.updateText(ctx.caller.customerId, id, input.name ?? '', input.detail ?? '', this.clock.now());
    if (!key) throw await this.whyUnchanged(ctx, id);
    return key;
  }

  /** Soft-deletes the key; from this moment it no longer authenticates, here or on any replica. */
  async delete(ctx: RequestContext, id: string): Promise<Accesskey> {
    assertUuid(id);
    const key = await this.store.softDelete(ctx.caller.customerId, id, this.clock.now());
    if (!key) throw await this.whyUnchanged(ctx, id);
    this.cache.dropKey(key.tokenHash);
    this.observer.accesskeyDeleted();
    return key;
  }

  private async whyUnchanged(ctx: RequestContext, id: string) {
    const key = await this.store.findForCustomer(ctx.caller.customerId, id);
    return key ? stateInvalid('The access key has been deleted.') : notFound('The access key');
  }
}
