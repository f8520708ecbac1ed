import type { DataSource } from 'typeorm';
import type { AccesskeyService, CreatedAccesskey } from '../accesskeys/accesskey.service';
import { Customer } from '../customers/customer.entity';
import type { CustomerService } from '../customers/customer.service';
import { SETUP_LOCK } from '../db/migrate';
import { systemAttribution } from '../audit/audit.types';

export const DEFAULT_KEY_SECONDS = 365 * 24 * 60 * 60;

export interface Provisioned {
  readonly customer: Customer;
  readonly created: CreatedAccesskey;
}

/**
 * On an empty database, creates the `default` customer and one access key so a
 * new user can make a first request at once. Returns `null` when the database
 * already has customers.
 */
export async function provisionIfEmpty(
  dataSource: DataSource,
  customers: CustomerService,
  accesskeys: AccesskeyService,
): Promise<Provisioned | null> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    if ((await manager.getRepository(Customer).count()) > 0) return null;
    const customer = await customers.create('default', manager);
    const created = await accesskeys.createForCustomer(
      customer.id,
      { name: 'default', detail: 'Auto-provisioned API key', expire: accesskeys.defaultLifetime(DEFAULT_KEY_SECONDS) },
      manager,
      undefined,
      systemAttribution('first-start'),
    );
    return { customer, created };
  });
}
