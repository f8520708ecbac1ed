import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/sql';
import type { Clock } from '../time';
import { Customer } from './customer.entity';
import type { CustomerStore } from './customer.store';

export interface CustomerServiceDeps {
  readonly store: CustomerStore;
  readonly clock: Clock;
}

/** Customers are created by operators (CLI) and by first-start provisioning only. */
export class CustomerService {
  constructor(private readonly deps: CustomerServiceDeps) {}

  /** Creates a customer; `db` is the caller's transaction when it has one (provisioning, operator commands). */
  async create(name: string, db?: Queryable): Promise<Customer> {
    const now = this.deps.clock.now();
    const customer = Object.assign(new Customer(), { id: randomUUID(), name, tmCreate: now, tmUpdate: now });
    await this.deps.store.insert(customer, db);
    return customer;
  }

  /** Whether a customer with this id exists. */
  exists(id: string, db?: Queryable): Promise<boolean> {
    return this.deps.store.exists(id, db);
  }

  /** Whether there is any customer at all. */
  any(db?: Queryable): Promise<boolean> {
    return this.deps.store.any(db);
  }
}
