import type { Customer } from './customer.entity';

export function customerToWire(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    tm_create: customer.tmCreate.toISOString(),
    tm_update: customer.tmUpdate.toISOString(),
  };
}
