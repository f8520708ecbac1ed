import { randomBytes } from 'node:crypto';
import type { AccesskeyService, CreatedAccesskey } from '../accesskeys/accesskey.service';
import type { AgentService } from '../agents/agent.service';
import { Permission } from '../agents/permission';
import type { Customer } from '../customers/customer.entity';
import type { CustomerService } from '../customers/customer.service';
import { SETUP_LOCK } from '../db/migrate';
import type { Transactional } from '../db/sql';
import { systemAttribution } from '../audit/audit.types';

export const DEFAULT_KEY_SECONDS = 365 * 24 * 60 * 60;

/** The username of the agent the first start makes, to sign in to the console with. */
export const BOOTSTRAP_ADMIN = 'admin';

export interface Provisioned {
  readonly customer: Customer;
  readonly created: CreatedAccesskey;
  /** The `admin` agent and its password (shown once, in the first-start banner); null when not asked for. */
  readonly admin: { readonly username: string; readonly password: string } | null;
}

export interface ProvisionDeps {
  readonly db: Transactional;
  readonly customers: CustomerService;
  readonly accesskeys: AccesskeyService;
  /** Given, the first start also makes the `admin` agent (the server does; tests of the key alone leave it out). */
  readonly agents?: Pick<AgentService, 'create'>;
}

/** 24 characters of base64url: 144 random bits, typeable, and no character a shell quotes. */
const randomPassword = () => randomBytes(18).toString('base64url');

/**
 * On an empty database, creates the `default` customer and one access key so a
 * new user can make a first request at once, and (given `agents`) an `admin`
 * agent of that customer with a random password, to sign in to the console.
 * Everything in one transaction: a start that dies half-way leaves nothing.
 * Returns `null` when the database already has customers (nothing changes then).
 */
export async function provisionIfEmpty({ db, customers, accesskeys, agents }: ProvisionDeps): Promise<Provisioned | null> {
  return db.transaction(async (tx) => {
    await tx.query('provision_lock', 'SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    if (await customers.any(tx)) return null;
    const customer = await customers.create('default', tx);
    const by = systemAttribution('first-start');
    const created = await accesskeys.createForCustomer(
      customer.id,
      { name: 'default', detail: 'Auto-provisioned API key', expire: accesskeys.defaultLifetime(DEFAULT_KEY_SECONDS) },
      tx,
      undefined,
      by,
    );
    let admin: Provisioned['admin'] = null;
    if (agents) {
      const password = randomPassword();
      await agents.create(customer.id, { username: BOOTSTRAP_ADMIN, name: 'Administrator', password, permission: Permission.CustomerAdmin }, by, tx);
      admin = { username: BOOTSTRAP_ADMIN, password };
    }
    return { customer, created, admin };
  });
}
