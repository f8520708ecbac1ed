import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Queryable } from '../db/sql';
import type { Clock } from '../time';
import { Customer } from './customer.entity';

/** Customers are created by operators (CLI) and by first-start provisioning only. */
export class CustomerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(name: string, manager: EntityManager = this.dataSource.manager): Promise<Customer> {
    const now = this.clock.now();
    const customer = Object.assign(new Customer(), { id: randomUUID(), name, tmCreate: now, tmUpdate: now });
    await manager.getRepository(Customer).insert(customer);
    return customer;
  }

  /** Whether a customer with this id exists. */
  async exists(id: string, db: Queryable): Promise<boolean> {
    const rows = await db.query('customer_exists', 'SELECT 1 FROM customers WHERE id = $1', [id]);
    return rows.length > 0;
  }
}
