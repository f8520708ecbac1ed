import 'reflect-metadata';
import { once } from 'node:events';
import os from 'node:os';
import { cliAttribution } from '../audit/audit.types';
import { runAuditCommand } from './audit.commands';
import type { Accesskey } from '../keys/accesskey.entity';
import { CreateAccesskeyInput } from '../accesskeys/accesskey.inputs';
import { parseScopes } from '../accesskeys/accesskey.service';
import { CreateAgentInput, PasswordInput } from '../agents/agent.inputs';
import { agentToWire } from '../agents/agent.wire';
import { Permission } from '../agents/permission';
import { toWire } from '../accesskeys/accesskey.wire';
import { createServices } from '../app/services';
import type { Services } from '../app/services';
import { ENTITIES } from '../app/entities';
import { ConfigError, loadConfig } from '../config';
import type { Config } from '../config';
import { CreateCustomerInput } from '../customers/customer.inputs';
import { customerToWire } from '../customers/customer.wire';
import { DatabaseUnreachableError, retryLine } from '../db/connect';
import { openDatabase } from '../db/database';
import type { Database } from '../db/database';
import { DataDirLockedError } from '../db/lock';
import { isAppError, notFound } from '../errors';
import { DEFAULT_FILTER } from '../keys/accesskey.filter';
import type { KeyListState } from '../keys/accesskey.filter';
import { MAX_PAGE_SIZE } from '../pagination';
import type { PagePosition } from '../pagination';
import { DEFAULT_KEY_SECONDS } from '../app/provision';
import { NOT_YET_OCCURRED } from '../time';
import { parseInput, parseUuid } from '../validation';
import { UsageError, parseArgs } from './args';
import { readSecret } from './stdin';
import { displayPrefix, isWellFormedToken, withoutSecretTokenScheme } from '../keys/token';

const USAGE = `Usage:
  npm run admin -- agent create --customer ID --username U --permission admin|manager|agent|super-admin [--name N]
      Creates an agent; the password is read from standard input.
  npm run admin -- agent set-password --username U      (new password on standard input)
  npm run admin -- agent delete --username U
  npm run admin -- customer create --name NAME [--expire SECONDS] [--key-name N] [--key-detail D]
      Creates a customer and its first access key (default lifetime one year, or MAX_KEY_LIFETIME_SECONDS if shorter).
  npm run admin -- accesskey create --customer ID --expire SECONDS [--name N] [--detail D] [--scopes read,write,verify] [--canary]
      Creates an access key for a customer; scopes default to read,write (the CLI may grant any, verify included).
      --canary: a canary key, which never authorizes anything; each use is refused and recorded.
  npm run admin -- accesskey rotate --id ID [--grace SECONDS]
      Replaces a key by a new one; the old one works SECONDS longer at most (default 86400, 0: not at all).
      Prints {"accesskey": new key with its token, "previous": old key}.
  npm run admin -- accesskey disable --id ID
  npm run admin -- accesskey enable --id ID
  npm run admin -- accesskey list --customer ID [--state live|expired|disabled|deleted|all] [--limit N]
      Prints {"result": [...]}: the customer's keys, newest first (default: every key not deleted).
  npm run admin -- audit verify [--customer ID]
      Recomputes the audit trail's hash chains (every customer's, or one); names every broken link. Exit 1 if one is broken.
  npm run admin -- audit export --customer ID > FILE
      Writes the customer's audit chain as JSON lines: a header with its checkpoint and head, then each event, oldest first.
  npm run admin -- audit verify --file FILE
      Checks an export offline (no database). Exit 1 if the chain is broken.
  npm run admin -- audit prune [--days N]
      Deletes audit events older than N days (default AUDIT_RETENTION_DAYS), keeping each chain verifiable from a checkpoint.
  npm run admin -- token check [TOKEN]     (or the token on standard input)
      Says offline whether TOKEN is a well-formed vb_ token (shape and checksum); exit 0 if so, 1 if not.
Each prints one JSON object on stdout (for access keys including the new token, shown only this once).
The database is the server's: DATABASE_URL, or the embedded one in DATA_DIR (default ./data).`;

/** `read,write,verify` (short names, or the full `accesskeys:` ones) as the scope names the service checks. */
function scopesFlag(value: string): string[] {
  return value.split(',').map((s) => s.trim()).map((s) => (s.includes(':') ? s : `accesskeys:${s}`));
}

/** Numbers stay strings unless they are plain digits, so validation reports them as the wrong type. */
function numeric(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Who ran the command, as the audit trail records it: the operating-system user. */
function osUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? null;
  }
}
const BY = cliAttribution(osUser());

/** The services with the policy settings of the environment (the CLI obeys MAX_KEY_LIFETIME_SECONDS too). */
const servicesFor = (db: Database, config: Config): Services => createServices(db, { maxKeyLifetimeSeconds: config.maxKeyLifetimeSeconds });

/** What a command works with: the database (for a transaction of its own) and the services on it, built once. */
interface CommandContext {
  readonly db: Database;
  readonly services: Services;
}

type Handler = (ctx: CommandContext, flags: Map<string, string>) => Promise<unknown>;

const PERMISSIONS: Record<string, number> = {
  'super-admin': Permission.ProjectSuperAdmin,
  admin: Permission.CustomerAdmin,
  manager: Permission.CustomerManager,
  agent: Permission.CustomerAgent,
};

/** An access key as the lifecycle commands print it: the REST shape plus the lifecycle fields REST does not carry. */
function lifecycleWire(key: Accesskey, token?: string) {
  return {
    ...toWire(key, token),
    tm_disable: key.tmDisable ? key.tmDisable.toISOString() : NOT_YET_OCCURRED,
    rotated_from_id: key.rotatedFromId,
    canary: key.canary,
  };
}

/** A listed key: the lifecycle shape plus its last use (`null`: never). */
function listedWire(key: Accesskey) {
  return { ...lifecycleWire(key), tm_last_used: key.tmLastUsed ? key.tmLastUsed.toISOString() : null };
}

const LIST_STATES: readonly KeyListState[] = ['live', 'expired', 'disabled', 'deleted', 'all'];

function required(flags: Map<string, string>, name: string): string {
  const value = flags.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A required id flag, lower case as the database stores it (an id pasted in upper case names the same row and the same audit chain). */
const requiredId = (flags: Map<string, string>, name: string): string => parseUuid(required(flags, name), name);

const commands: Record<string, Handler> = {
  'customer create': async ({ db, services }, flags) => {
    const customerInput = await parseInput(CreateCustomerInput, { name: flags.get('name') }, 'arguments');
    const keyInput = await parseInput(
      CreateAccesskeyInput,
      {
        name: flags.get('key-name') ?? 'default',
        detail: flags.get('key-detail') ?? '',
        expire: flags.has('expire') ? numeric(flags.get('expire')) : services.accesskeys.defaultLifetime(DEFAULT_KEY_SECONDS),
      },
      'arguments',
    );
    return db.sql.transaction(async (tx) => {
      const customer = await services.customers.create(customerInput.name, tx);
      const { accesskey, token } = await services.accesskeys.createForCustomer(customer.id, keyInput, tx, undefined, BY);
      return { customer: customerToWire(customer), accesskey: toWire(accesskey, token) };
    });
  },
  'accesskey create': async ({ services }, flags) => {
    const customerId = requiredId(flags, 'customer');
    const input = await parseInput(
      CreateAccesskeyInput,
      { name: flags.get('name'), detail: flags.get('detail'), expire: numeric(flags.get('expire')) },
      'arguments',
    );
    const scopes = flags.has('scopes') ? parseScopes(scopesFlag(flags.get('scopes') ?? '')) : undefined;
    const canary = flags.get('canary') ?? 'false';
    if (canary !== 'true' && canary !== 'false') throw new UsageError('--canary takes no value (or true, false)');
    const { accesskey, token } = await services.accesskeys.createForCustomer(customerId, { ...input, canary: canary === 'true' }, undefined, scopes, BY);
    // The REST shape, which has no canary field; a canary says so.
    return accesskey.canary ? { ...toWire(accesskey, token), canary: true } : toWire(accesskey, token);
  },
  'accesskey rotate': async ({ services: { accesskeys } }, flags) => {
    const id = requiredId(flags, 'id');
    const grace = flags.has('grace') ? numeric(flags.get('grace')) : undefined;
    const { accesskey, token, previous } = await accesskeys.rotateForCustomer(await accesskeys.ownerOf(id), id, grace as number | undefined, BY);
    return { accesskey: lifecycleWire(accesskey, token), previous: lifecycleWire(previous) };
  },
  'accesskey disable': async ({ services: { accesskeys } }, flags) => {
    const id = requiredId(flags, 'id');
    return lifecycleWire(await accesskeys.disableForCustomer(await accesskeys.ownerOf(id), id, BY));
  },
  'accesskey enable': async ({ services: { accesskeys } }, flags) => {
    const id = requiredId(flags, 'id');
    return lifecycleWire(await accesskeys.enableForCustomer(await accesskeys.ownerOf(id), id, BY));
  },
  'accesskey list': async ({ services: { accesskeys, customers } }, flags) => {
    const customerId = requiredId(flags, 'customer');
    const state = flags.get('state') ?? 'default';
    // Without --state: the API's default list; 'default' itself is not a value to type.
    if (flags.has('state') && !LIST_STATES.includes(state as KeyListState)) throw new UsageError(`--state must be one of ${LIST_STATES.join(', ')}`);
    const limitText = flags.get('limit');
    if (limitText !== undefined && !/^[1-9]\d{0,8}$/.test(limitText)) throw new UsageError('--limit must be a whole number, 1 or more');
    const limit = limitText === undefined ? Infinity : Number(limitText);
    if (!(await customers.exists(customerId))) throw notFound('The customer');
    const filter = { ...DEFAULT_FILTER, state: state as KeyListState };
    const result: ReturnType<typeof listedWire>[] = [];
    let after: PagePosition | null = null;
    while (result.length < limit) {
      const page = await accesskeys.listForCustomer(customerId, { size: Math.min(MAX_PAGE_SIZE, limit - result.length), after }, filter);
      result.push(...page.items.map(listedWire));
      const last = page.items.at(-1);
      if (page.nextPageToken === null || !last) break;
      after = { tmCreate: last.tmCreate, id: last.id };
    }
    return { result };
  },
  'agent create': async ({ services }, flags) => {
    const customerId = requiredId(flags, 'customer');
    const level = required(flags, 'permission');
    if (!(level in PERMISSIONS)) throw new UsageError(`--permission must be one of ${Object.keys(PERMISSIONS).join(', ')}`);
    const input = await parseInput(
      CreateAgentInput,
      { username: required(flags, 'username'), name: flags.get('name'), permission: PERMISSIONS[level], password: await readSecret('Password: ') },
      'arguments',
    );
    return agentToWire(await services.agents.create(customerId, input, BY));
  },
  'agent set-password': async ({ services }, flags) => {
    const username = required(flags, 'username');
    const { password } = await parseInput(PasswordInput, { password: await readSecret('New password: ') }, 'arguments');
    return agentToWire(await services.agents.setPassword(username, password, BY));
  },
  'agent delete': async ({ services }, flags) => agentToWire(await services.agents.delete(required(flags, 'username'), BY)),
};

/**
 * `token check [TOKEN]`: says offline (no database) whether a string is a well-formed token of
 * ours (shape and checksum; `secret-token:` accepted). The token comes from the argument, or from
 * standard input so that it need not appear in the process list. Exit 0 when well-formed, 1 when not.
 */
async function checkToken(args: readonly string[]): Promise<number> {
  if (args.length > 1) throw new UsageError('token check takes one token');
  const given = args[0] ?? (await readSecret('Token: '));
  const token = withoutSecretTokenScheme(given.trim());
  const wellFormed = isWellFormedToken(token);
  process.stdout.write(`${JSON.stringify({ well_formed: wellFormed, token_prefix: wellFormed ? displayPrefix(token) : null }, null, 2)}\n`);
  return wellFormed ? 0 : 1;
}

async function run(argv: readonly string[]): Promise<number> {
  let database: Database | undefined;
  try {
    const { words, flags } = parseArgs(argv, ['canary']);
    if (words.length === 0 || words[0] === 'help' || flags.has('help')) {
      process.stderr.write(`${USAGE}\n`);
      return words.length === 0 ? 2 : 0;
    }
    if (words[0] === 'token' && words[1] === 'check') return await checkToken(words.slice(2));
    if (words[0] === 'audit') {
      if (words.length > 2) throw new UsageError(`unknown command: ${words.join(' ')}`);
      const config = loadConfig();
      return await runAuditCommand(words[1], {
        flags,
        retentionDays: config.auditRetentionDays,
        write: (text) => (process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined)),
        openAudit: async () => {
          database = await openDatabase(config.database, { entities: ENTITIES, migrate: true, onRetry: (notice) => process.stderr.write(retryLine(notice)) });
          return servicesFor(database, config).audit;
        },
      });
    }
    const handler = commands[words.slice(0, 2).join(' ')];
    if (!handler || words.length > 2) throw new UsageError(`unknown command: ${words.join(' ')}`);
    const config = loadConfig();
    database = await openDatabase(config.database, { entities: ENTITIES, migrate: true, onRetry: (notice) => process.stderr.write(retryLine(notice)) });
    const result = await handler({ db: database, services: servicesFor(database, config) }, flags);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof DatabaseUnreachableError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    if (isAppError(err)) {
      process.stderr.write(`error: ${err.message} (${err.code})\n`);
      return 1;
    }
    process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await database?.close();
  }
}

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
