import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context';
import type { CustomerStore } from '../customers/customer.store';
import type { AuditLog } from '../audit/audit.log';
import { attributionOf } from '../audit/attribution';
import { cliAttribution } from '../audit/audit.types';
import type { Attribution, AuditJson } from '../audit/audit.types';
import type { Transactional } from '../db/sql';
import { mayGrant } from '../auth/permissions';
import { AppError, invalidArgument, notFound, permissionDenied, stateInvalid } from '../errors';
import { noopObserver } from '../observability';
import type { Observer } from '../observability';
import type { Clock, Instant } from '../time';
import { parseUuid } from '../validation';
import { Accesskey } from '../keys/accesskey.entity';
import { MAX_EXPIRE_SECONDS } from './accesskey.inputs';
import type { CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';
import { DEFAULT_FILTER, MAX_NAME_CONTAINS, listBinding } from '../keys/accesskey.filter';
import type { KeyFilter } from '../keys/accesskey.filter';
import { AccesskeyStore, fromRow, policyColumnsOf } from '../keys/accesskey.store';
import type { AccesskeyRow, PolicyChange } from '../keys/accesskey.store';
import { SqlValue } from '../db/json-text';
import { describedPolicy } from './accesskey-policy';
import type { KeyChanges } from '../keys/key-changes';
import { DEFAULT_SCOPES, SCOPES, canonicalScopes, isScope } from '../scopes';
import type { Scope } from '../scopes';
import { assertCursorFor, encodeCursor } from '../pagination';
import type { PageRequest } from '../pagination';
import { displayPrefix, generateToken, hashToken } from '../keys/token';

/** A newly created key and its token: the one and only time the token is available. */
export interface CreatedAccesskey {
  readonly accesskey: Accesskey;
  readonly token: string;
}

/** The outcome of a rotation: the new key with its token, and the old key as it now stands. */
export interface RotatedAccesskey extends CreatedAccesskey {
  readonly previous: Accesskey;
}

/** How long a rotated key keeps working when the caller does not say: one day. */
export const DEFAULT_GRACE_SECONDS = 86400;
/** The longest grace period: 30 days. */
export const MAX_GRACE_SECONDS = 2592000;

export interface AccesskeyPage {
  readonly items: readonly Accesskey[];
  /** Cursor of each item, in order. */
  readonly cursors: readonly string[];
  readonly nextPageToken: string | null;
}

/**
 * Checks a requested scope list: `null`/absent means the default (read and
 * write); otherwise a non-empty list from the closed set without duplicates.
 */
export function parseScopes(scopes: readonly unknown[] | null | undefined): Scope[] {
  if (scopes === undefined || scopes === null) return [...DEFAULT_SCOPES];
  const rule = `must be a non-empty list of distinct scopes from ${SCOPES.join(', ')}`;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isScope)) throw invalidArgument('scopes', rule);
  if (new Set(scopes).size !== scopes.length) throw invalidArgument('scopes', rule);
  return canonicalScopes(scopes);
}

/** Operator commands called without saying who ran them. */
const OPERATOR = cliAttribution(null);

/** What a new key is made of: the REST body, and over GraphQL and the CLI whether it is a canary and its usage policy. */
export type NewAccesskeyInput = CreateAccesskeyInput & { readonly canary?: boolean | null; readonly policy?: PolicyChange | null };

/** The index that holds a key to one successor (migration 1766150000000). */
const SUCCESSOR_INDEX = 'ux_accesskeys_rotated_from';

/** A rotated key cannot be rotated again: the answer names the successor to rotate instead. */
const alreadyRotated = (successorId: string): AppError =>
  new AppError('FAILED_PRECONDITION', 'ALREADY_ROTATED', `The access key has already been rotated; its successor is ${successorId} (rotate that one instead).`);

/** True when `err` is PostgreSQL's unique violation of `constraint`. */
function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23505' && e.constraint === constraint;
}

/** What the audit trail keeps of a new key (never its token or hash); `canary` only on canaries. */
function described(key: Accesskey): Record<string, AuditJson> {
  return {
    name: key.name, detail: key.detail, token_prefix: key.tokenPrefix, tm_expire: key.tmExpire.toISOString(), scopes: [...key.scopes],
    ...(key.canary ? { canary: true } : {}),
    ...describedPolicy(key),
  };
}

export interface AccesskeyServiceDeps {
  readonly db: Transactional;
  readonly store: AccesskeyStore;
  readonly customers: CustomerStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Told the moment a key's token may stop or start working here (other replicas hear it from the database). */
  readonly changes: KeyChanges;
  readonly observer?: Observer;
  /** `MAX_KEY_LIFETIME_SECONDS`: the longest lifetime a new key may have (default: the platform's maximum). */
  readonly maxLifetimeSeconds?: number;
}

/**
 * Every rule about access keys: ownership, state, timestamps, tokens. Each
 * change is written in one transaction with its audit event.
 */
/** What a change or read of a deleted key is answered. */
export const keyDeleted = (): AppError => stateInvalid('The access key has been deleted.');
/** What an unknown key, or another customer's, is answered. */
export const keyNotFound = (): AppError => notFound('The access key');

export class AccesskeyService {
  private readonly db: Transactional;
  private readonly store: AccesskeyStore;
  private readonly customers: CustomerStore;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly changes: KeyChanges;
  private readonly observer: Observer;
  private readonly maxLifetimeSeconds: number;

  constructor(deps: AccesskeyServiceDeps) {
    this.db = deps.db;
    this.store = deps.store;
    this.customers = deps.customers;
    this.audit = deps.audit;
    this.clock = deps.clock;
    this.changes = deps.changes;
    this.observer = deps.observer ?? noopObserver;
    this.maxLifetimeSeconds = deps.maxLifetimeSeconds ?? MAX_EXPIRE_SECONDS;
  }

  /** A default lifetime, shortened to the policy's limit when that is shorter (first-start and CLI defaults). */
  defaultLifetime(preferredSeconds: number): number {
    return Math.min(preferredSeconds, this.maxLifetimeSeconds);
  }

  /**
   * Creates a key for the caller's customer and returns it with its token.
   * `scopes` (default read and write) may hold only scopes the caller may grant
   * (a canary's scopes never matter, but the rule is the same). `input.canary`
   * makes a canary key (see auth/canary.ts). A key made by an access key expires
   * no later than that key: a leaked key cannot leave behind one that outlives it.
   */
  async create(ctx: RequestContext, input: NewAccesskeyInput, scopes?: readonly unknown[] | null): Promise<CreatedAccesskey> {
    const wanted = parseScopes(scopes);
    const refused = wanted.filter((scope) => !mayGrant(ctx.caller, scope));
    if (refused.length > 0) throw permissionDenied(`The caller may not grant ${refused.join(', ')}.`);
    const notAfter = ctx.caller.kind === 'accesskey' ? await this.expiryOf(ctx.caller.customerId, ctx.caller.accesskeyId) : null;
    return this.createForCustomer(ctx.caller.customerId, input, undefined, wanted, attributionOf(ctx), notAfter);
  }

  /** When a key stops working (now, if it has gone since it authenticated the request). */
  private async expiryOf(customerId: string, id: string): Promise<Instant> {
    const key = await this.store.findForCustomer(customerId, id);
    return key?.tmExpire ?? this.clock.now();
  }

  /**
   * Creates a key for any customer (operator commands and first-start
   * provisioning, which pass their transaction as `db`). The customer must
   * exist. `notAfter` caps the key's expiry (the creating key's own).
   */
  async createForCustomer(
    customerId: string,
    input: NewAccesskeyInput,
    db: Transactional = this.db,
    scopes: readonly Scope[] = DEFAULT_SCOPES,
    by: Attribution = OPERATOR,
    notAfter: Instant | null = null,
  ): Promise<CreatedAccesskey> {
    customerId = parseUuid(customerId, 'customer_id');
    if (input.expire > this.maxLifetimeSeconds) {
      throw invalidArgument('expire', `must be at most ${this.maxLifetimeSeconds} seconds, the longest key lifetime allowed here (MAX_KEY_LIFETIME_SECONDS)`);
    }
    const now = this.clock.now();
    const token = generateToken();
    const wanted = now.plusSeconds(input.expire);
    const accesskey = Object.assign(new Accesskey(), {
      id: randomUUID(),
      customerId,
      name: input.name ?? '',
      detail: input.detail ?? '',
      tokenHash: hashToken(token),
      tokenPrefix: displayPrefix(token),
      tmExpire: notAfter?.isBefore(wanted) ? notAfter : wanted,
      tmCreate: now,
      tmUpdate: now,
      tmDelete: null,
      tmDisable: null,
      rotatedFromId: null,
      tmLastUsed: null,
      scopes: canonicalScopes(scopes),
      leak: null,
      canary: input.canary === true,
      ...policyColumnsOf(input.policy),
    });
    await db.transaction(async (tx) => {
      if (!(await this.customers.exists(customerId, tx))) throw notFound('The customer');
      await this.store.insert(accesskey, tx);
      await this.audit.record(tx, { customerId, action: 'accesskey.create', targetId: accesskey.id, by, after: described(accesskey) });
    });
    // A "no such key" answer cached for this hash (only by someone guessing it) must not outlive the key's birth.
    this.changes.keyChanged(accesskey.tokenHash);
    this.observer.accesskeyCreated();
    return { accesskey, token };
  }

  /**
   * The caller's keys matching `filter` (by default those not deleted,
   * expired and disabled included), newest first, keyset-paginated on
   * (tm_create, id) so equal creation times are neither skipped nor repeated.
   */
  list(ctx: RequestContext, page: PageRequest, filter: KeyFilter = DEFAULT_FILTER): Promise<AccesskeyPage> {
    return this.listForCustomer(ctx.caller.customerId, page, filter);
  }

  /** Any customer's keys matching `filter` (operator commands); see `list`. */
  async listForCustomer(customerId: string, page: PageRequest, filter: KeyFilter = DEFAULT_FILTER): Promise<AccesskeyPage> {
    customerId = parseUuid(customerId, 'customer_id');
    if (filter.nameContains !== null && filter.nameContains.length > MAX_NAME_CONTAINS) {
      throw invalidArgument('nameContains', `must be at most ${MAX_NAME_CONTAINS} characters`);
    }
    // PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
    if (filter.nameContains?.includes('\u0000')) throw invalidArgument('nameContains', 'must not contain NUL characters');
    // A cursor continues the list it was made for: the same customer, the same filter.
    const binding = listBinding(customerId, filter);
    assertCursorFor(page, binding);
    const rows = await this.store.list(customerId, filter, page, this.clock.now());
    const items = rows.slice(0, page.size);
    const cursors = items.map((k) => encodeCursor(k.tmCreate, k.id, binding));
    const nextPageToken = rows.length > page.size ? cursors[cursors.length - 1] : null;
    return { items, cursors, nextPageToken };
  }

  /** One of the caller's keys. Another customer's key is reported as not found. */
  async get(ctx: RequestContext, id: string): Promise<Accesskey> {
    id = parseUuid(id);
    const key = await this.store.findForCustomer(ctx.caller.customerId, id);
    if (!key) throw keyNotFound();
    if (key.tmDelete) throw keyDeleted();
    return key;
  }

  /** Replaces name and detail (a missing one becomes empty) and sets tm_update. */
  async update(ctx: RequestContext, id: string, input: UpdateAccesskeyInput): Promise<Accesskey> {
    id = parseUuid(id);
    const { customerId } = ctx.caller;
    const name = input.name ?? '';
    const detail = input.detail ?? '';
    // One statement: the change, its audit event and its webhook deliveries (one round trip, issue 20 §3).
    const updated = await this.audit.recordInline<AccesskeyRow>(this.db, {
      name: 'ak_update_text',
      ...AccesskeyStore.updateTextChange(customerId, id, name, detail, this.clock.now()),
      entry: {
        customerId,
        action: 'accesskey.update',
        targetId: id,
        by: attributionOf(ctx),
        before: { name: new SqlValue('changed.was_name'), detail: new SqlValue('changed.was_detail') },
        after: { name, detail },
      },
    });
    if (!updated) throw await this.whyUnchanged(customerId, id);
    return fromRow(updated.row);
  }

  /** Soft-deletes the key; from this moment it no longer authenticates, here or on any replica. */
  async delete(ctx: RequestContext, id: string): Promise<Accesskey> {
    id = parseUuid(id);
    const { customerId } = ctx.caller;
    const now = this.clock.now();
    const deleted = await this.audit.recordInline<AccesskeyRow>(this.db, {
      name: 'ak_delete',
      ...AccesskeyStore.softDeleteChange(customerId, id, now),
      entry: { customerId, action: 'accesskey.delete', targetId: id, by: attributionOf(ctx), before: { tm_delete: null }, after: { tm_delete: now.toISOString() } },
    });
    const key = deleted && fromRow(deleted.row);
    if (!key) throw await this.whyUnchanged(customerId, id);
    this.changes.keyChanged(key.tokenHash);
    this.observer.accesskeyDeleted();
    return key;
  }

  /**
   * Replaces the caller's key by a new one (new id and token, same name,
   * detail and scopes, the same lifetime length counted from now); the old
   * key keeps working for `gracePeriod` seconds at most (default one day, 0:
   * not at all). The caller receives the new token, so the grant rule of
   * `create` applies: the key's scopes must all be ones the caller may grant
   * (a read+write key or a customer admin cannot rotate a verify key, a
   * write-only key cannot rotate a read+write key). A key has at most one
   * successor: a rotated key cannot be rotated again (rotate its successor).
   */
  rotate(ctx: RequestContext, id: string, gracePeriod?: number | null): Promise<RotatedAccesskey> {
    const refusal = (key: Accesskey): AppError | null => {
      const refused = key.scopes.filter((scope) => !mayGrant(ctx.caller, scope));
      return refused.length > 0 ? permissionDenied(`The caller may not grant ${refused.join(', ')}, which the key holds; its rotation would hand them over.`) : null;
    };
    return this.rotateKey(ctx.caller.customerId, id, gracePeriod, attributionOf(ctx), refusal);
  }

  /** `rotate` for any customer's key (operator commands, which may grant anything). */
  rotateForCustomer(customerId: string, id: string, gracePeriod?: number | null, by: Attribution = OPERATOR): Promise<RotatedAccesskey> {
    return this.rotateKey(customerId, id, gracePeriod, by, () => null);
  }

  private async rotateKey(
    customerId: string,
    rawId: string,
    gracePeriod: number | null | undefined,
    by: Attribution,
    refusal: (key: Accesskey) => AppError | null,
  ): Promise<RotatedAccesskey> {
    const id = parseUuid(rawId);
    const grace = gracePeriod ?? DEFAULT_GRACE_SECONDS;
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      throw invalidArgument('gracePeriod', `must be an integer from 0 to ${MAX_GRACE_SECONDS}`);
    }
    const now = this.clock.now();
    const token = generateToken();
    const rotated = await this.db.transaction(async (tx) => {
      // Every check runs on the locked row, and a refusal throws before anything is written.
      const key = await this.store.lockForCustomer(customerId, id, tx);
      if (!key) throw notFound('The access key');
      if (key.tmDelete) throw stateInvalid('The access key has been deleted.');
      if (key.tmDisable) throw stateInvalid('The access key is disabled.');
      const denied = refusal(key);
      if (denied) throw denied;
      const successor = await this.store.successorOf(id, tx);
      if (successor) throw alreadyRotated(successor);
      const done = await this.store.rotate(customerId, id, {
        id: randomUUID(),
        tokenHash: hashToken(token),
        tokenPrefix: displayPrefix(token),
        now,
        previousExpiresBy: now.plusSeconds(grace),
        // The new key keeps the old one's lifetime length, capped by MAX_KEY_LIFETIME_SECONDS. The old row
        // has never been shortened by a rotation (it has no successor), so that length is the one it was made with.
        maxExpire: now.plusSeconds(this.maxLifetimeSeconds),
      }, tx);
      if (done) {
        await this.audit.record(tx, {
          customerId, action: 'accesskey.rotate', targetId: id, by,
          after: { tm_expire: done.previous.tmExpire.toISOString() },
          detail: { grace_period: grace, new_accesskey: { id: done.created.id, ...described(done.created) } },
        });
      }
      return done;
    }).catch(async (err: unknown) => {
      // The unique index is the last word should two rotations ever race past the check above; the
      // successor is looked up once the failed transaction has given its connection back.
      if (isUniqueViolation(err, SUCCESSOR_INDEX)) throw alreadyRotated((await this.store.successorOf(id)) ?? 'another key');
      throw err;
    });
    if (!rotated) throw await this.whyUnchanged(customerId, id);
    // The old key's cached expiry is stale now; the new hash may have a cached "unknown".
    this.changes.keyChanged(rotated.previous.tokenHash);
    this.changes.keyChanged(rotated.created.tokenHash);
    this.observer.accesskeyCreated();
    return { accesskey: rotated.created, token, previous: rotated.previous };
  }

  /**
   * Disables the caller's key: from this moment it authenticates nowhere, like
   * a deleted one, but stays listed and can be enabled again. Disabling a
   * disabled key changes nothing.
   */
  disable(ctx: RequestContext, id: string): Promise<Accesskey> {
    return this.disableForCustomer(ctx.caller.customerId, id, attributionOf(ctx));
  }

  /** `disable` for any customer's key (operator commands). */
  async disableForCustomer(customerId: string, id: string, by: Attribution = OPERATOR): Promise<Accesskey> {
    id = parseUuid(id);
    const now = this.clock.now();
    const disabled = await this.audit.recordInline<AccesskeyRow>(this.db, {
      name: 'ak_disable',
      ...AccesskeyStore.disableChange(customerId, id, now),
      entry: { customerId, action: 'accesskey.disable', targetId: id, by, before: { tm_disable: null }, after: { tm_disable: now.toISOString() } },
    });
    const key = disabled && fromRow(disabled.row);
    if (key) {
      this.changes.keyChanged(key.tokenHash);
      return key;
    }
    return this.unchangedOrWhy(customerId, id, (k) => k.tmDisable !== null);
  }

  /** Enables the caller's disabled key again. Enabling an enabled key changes nothing; a deleted key stays deleted. */
  enable(ctx: RequestContext, id: string): Promise<Accesskey> {
    return this.enableForCustomer(ctx.caller.customerId, id, attributionOf(ctx));
  }

  /** `enable` for any customer's key (operator commands). */
  async enableForCustomer(customerId: string, id: string, by: Attribution = OPERATOR): Promise<Accesskey> {
    id = parseUuid(id);
    const enabled = await this.audit.recordInline<AccesskeyRow>(this.db, {
      name: 'ak_enable',
      ...AccesskeyStore.enableChange(customerId, id, this.clock.now()),
      entry: { customerId, action: 'accesskey.enable', targetId: id, by, before: { disabled: true }, after: { tm_disable: null } },
    });
    const key = enabled && fromRow(enabled.row);
    if (key) {
      this.changes.keyChanged(key.tokenHash);
      return key;
    }
    return this.unchangedOrWhy(customerId, id, (k) => k.tmDisable === null);
  }

  /** The customer a key belongs to, whatever its state (operator commands name keys by id alone). */
  async ownerOf(id: string): Promise<string> {
    id = parseUuid(id);
    const key = await this.store.findById(id);
    if (!key) throw keyNotFound();
    return key.customerId;
  }

  /** A live key already in the wanted state is the answer; otherwise why nothing changed. */
  private async unchangedOrWhy(customerId: string, id: string, alreadyDone: (key: Accesskey) => boolean): Promise<Accesskey> {
    const key = await this.store.findForCustomer(customerId, id);
    if (key?.tmDelete === null && alreadyDone(key)) return key;
    throw this.why(key);
  }

  private async whyUnchanged(customerId: string, id: string) {
    return this.why(await this.store.findForCustomer(customerId, id));
  }

  private why(key: Accesskey | null) {
    if (!key) return notFound('The access key');
    if (key.tmDelete) return keyDeleted();
    if (key.tmDisable) return stateInvalid('The access key is disabled.');
    // Reached only if the key changed between the write and this read.
    return stateInvalid('The access key changed meanwhile; try again.');
  }
}
