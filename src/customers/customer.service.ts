import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
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

}
