import type { AccesskeyService, CreatedAccesskey } from '../accesskeys/accesskey.service';
import type { Customer } from '../customers/customer.entity';
import type { CustomerService } from '../customers/customer.service';
import { SETUP_LOCK } from '../db/migrate';
import type { Transactional } from '../db/sql';
import { systemAttribution } from '../audit/audit.types';

export const DEFAULT_KEY_SECONDS = 365 * 24 * 60 * 60;

export interface Provisioned {
  readonly customer: Customer;
  readonly created: CreatedAccesskey;
}

export interface ProvisionDeps {
  readonly db: Transactional;
  readonly customers: CustomerService;
  readonly accesskeys: AccesskeyService;
}

/**
 * On an empty database, creates the `default` customer and one access key so a
 * new user can make a first request at once. Returns `null` when the database
 * already has customers.
 */
export async function provisionIfEmpty({ db, customers, accesskeys }: ProvisionDeps): Promise<Provisioned | null> {
  return db.transaction(async (tx) => {
    await tx.query('provision_lock', 'SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    if (await customers.any(tx)) return null;
    const customer = await customers.create('default', tx);
    const created = await accesskeys.createForCustomer(
      customer.id,
      { name: 'default', detail: 'Auto-provisioned API key', expire: accesskeys.defaultLifetime(DEFAULT_KEY_SECONDS) },
      tx,
      undefined,
      systemAttribution('first-start'),
    );
    return { customer, created };
  });
}
