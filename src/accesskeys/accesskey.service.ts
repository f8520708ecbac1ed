import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { RequestContext } from '../context';
import { notFound, stateInvalid } from '../errors';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock, Instant } from '../time';
import { assertUuid } from '../validation';
import { Accesskey } from './accesskey.entity';
import type { CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';
import { decodePageToken, encodeCursor, normalizePageSize } from './pagination';
import { displayPrefix, generateToken, hashToken } from './token';

/** A newly created key and its token: the one and only time the token is available. */
export interface CreatedAccesskey {
  readonly accesskey: Accesskey;
  readonly token: string;
}

export interface ListRequest {
  /** Raw requested size; `undefined` means the default. */
  readonly pageSize?: number;
  readonly pageToken?: string | null;
  /** Names the page-size and page-token arguments in errors (they differ per transport). */
  readonly fields: { readonly pageSize: string; readonly pageToken: string };
}

export interface AccesskeyPage {
  readonly items: readonly Accesskey[];
  /** Cursor of each item, in order. */
  readonly cursors: readonly string[];
  readonly nextPageToken: string | null;
}

interface AccesskeyRow {
  id: string;
  customer_id: string;
  name: string;
  detail: string;
  token_hash: string;
  token_prefix: string;
  tm_expire: Instant;
  tm_create: Instant;
  tm_update: Instant;
  tm_delete: Instant | null;
}

function fromRow(row: AccesskeyRow): Accesskey {
  return Object.assign(new Accesskey(), {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    detail: row.detail,
    tokenHash: row.token_hash,
    tokenPrefix: row.token_prefix,
    tmExpire: row.tm_expire,
    tmCreate: row.tm_create,
    tmUpdate: row.tm_update,
    tmDelete: row.tm_delete,
  });
}

/** Every rule about access keys: ownership, state, timestamps, tokens. */
export class AccesskeyService {
  private readonly repo: Repository<Accesskey>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly observer: Observer = noopObserver,
  ) {
    this.repo = dataSource.getRepository(Accesskey);
  }

  /** Creates a key for the caller's customer and returns it with its token. */
  create(ctx: RequestContext, input: CreateAccesskeyInput): Promise<CreatedAccesskey> {
    return this.createForCustomer(ctx.caller.customerId, input);
  }

  /**
   * Creates a key for any customer (operator commands and first-start
   * provisioning). The customer must exist.
   */
  async createForCustomer(
    customerId: string,
    input: CreateAccesskeyInput,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CreatedAccesskey> {
    assertUuid(customerId, 'customer_id');
    const exists = await manager.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
    if (exists.length === 0) throw notFound('The customer');
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
    await manager.getRepository(Accesskey).insert(accesskey);
    this.observer.accesskeyCreated();
    return { accesskey, token };
  }

  /**
   * The caller's live keys (expired included, deleted never), newest first,
   * keyset-paginated on (tm_create, id) so equal creation times are neither
   * skipped nor repeated.
   */
  async list(ctx: RequestContext, request: ListRequest): Promise<AccesskeyPage> {
    const size = normalizePageSize(request.pageSize, request.fields.pageSize);
    const qb = this.repo
      .createQueryBuilder('k')
      .where('k.customer_id = :customerId', { customerId: ctx.caller.customerId })
      .andWhere('k.tm_delete IS NULL');
    if (request.pageToken !== undefined && request.pageToken !== null && request.pageToken !== '') {
      const after = decodePageToken(request.pageToken, request.fields.pageToken);
      if (after.id) {
        qb.andWhere('(k.tm_create, k.id) < (CAST(:afterTime AS timestamptz), CAST(:afterId AS uuid))', {
          afterTime: after.tmCreate.toISOString(),
          afterId: after.id,
        });
      } else {
        qb.andWhere('k.tm_create < CAST(:afterTime AS timestamptz)', { afterTime: after.tmCreate.toISOString() });
      }
    }
    const rows = await qb.orderBy('k.tm_create', 'DESC').addOrderBy('k.id', 'DESC').limit(size + 1).getMany();
    const items = rows.slice(0, size);
    const cursors = items.map((k) => encodeCursor(k.tmCreate, k.id));
    const nextPageToken = rows.length > size ? cursors[cursors.length - 1] : null;
    return { items, cursors, nextPageToken };
  }

  /** One of the caller's keys. Another customer's key is reported as not found. */
  async get(ctx: RequestContext, id: string): Promise<Accesskey> {
    assertUuid(id);
    const key = await this.repo.findOneBy({ id, customerId: ctx.caller.customerId });
    if (!key) throw notFound('The access key');
    if (key.tmDelete) throw stateInvalid('The access key has been deleted.');
    return key;
  }

  /** Replaces name and detail (a missing one becomes empty) and sets tm_update. */
  async update(ctx: RequestContext, id: string, input: UpdateAccesskeyInput): Promise<Accesskey> {
    assertUuid(id);
    const now = this.clock.now();
    const rows = await this.returning(
      `UPDATE accesskeys SET name = $3, detail = $4, tm_update = $5
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING *`,
      [id, ctx.caller.customerId, input.name ?? '', input.detail ?? '', now],
    );
    if (rows.length === 0) throw await this.whyUnchanged(ctx, id);
    return fromRow(rows[0]);
  }

  /** Soft-deletes the key; from this moment it no longer authenticates. */
  async delete(ctx: RequestContext, id: string): Promise<Accesskey> {
    assertUuid(id);
    const now = this.clock.now();
    const rows = await this.returning(
      `UPDATE accesskeys SET tm_delete = $3, tm_update = $3
        WHERE id = $1 AND customer_id = $2 AND tm_delete IS NULL RETURNING *`,
      [id, ctx.caller.customerId, now],
    );
    if (rows.length === 0) throw await this.whyUnchanged(ctx, id);
    this.observer.accesskeyDeleted();
    return fromRow(rows[0]);
  }

  /** Runs an `UPDATE … RETURNING *` and gives the returned rows. */
  private async returning(sql: string, params: unknown[]): Promise<AccesskeyRow[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return result.records as AccesskeyRow[];
    } finally {
      await runner.release();
    }
  }

  private async whyUnchanged(ctx: RequestContext, id: string) {
    const key = await this.repo.findOneBy({ id, customerId: ctx.caller.customerId });
    return key ? stateInvalid('The access key has been deleted.') : notFound('The access key');
  }
}
