import type { Queryable } from '../db/sql';
import type { Instant } from '../time';
import { Customer } from './customer.entity';

/** The one home of every SQL statement about `customers`: one row type, one mapper. */

/** A row of `customers`, as `pg` returns it. */
export interface CustomerRow {
  id: string;
  name: string;
  tm_create: Instant;
  tm_update: Instant;
}

/** The one mapper from a row to the domain object. */
export function fromRow(row: CustomerRow): Customer {
  return Object.assign(new Customer(), { id: row.id, name: row.name, tmCreate: row.tm_create, tmUpdate: row.tm_update });
}

export class CustomerStore {
  constructor(private readonly db: Queryable) {}

  async insert(customer: Customer, db: Queryable = this.db): Promise<void> {
    await db.query(
      'customer_insert',
      'INSERT INTO customers (id, name, tm_create, tm_update) VALUES ($1, $2, $3, $4)',
      [customer.id, customer.name, customer.tmCreate, customer.tmUpdate],
    );
  }

  /** Whether a customer with this id exists. */
  async exists(id: string, db: Queryable = this.db): Promise<boolean> {
    const rows = await db.query('customer_exists', 'SELECT 1 FROM customers WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** Whether there is any customer at all (first-start provisioning). */
  async any(db: Queryable = this.db): Promise<boolean> {
    const rows = await db.query('customer_any', 'SELECT 1 FROM customers LIMIT 1', []);
    return rows.length > 0;
  }
}
