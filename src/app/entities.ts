import { Agent } from '../agents/agent.entity';
import { AuditChainTable, AuditEventTable } from '../audit/audit.entity';
import { Customer } from '../customers/customer.entity';
import { Accesskey } from '../keys/accesskey.entity';
import { LeakReceiptTable } from '../leaks/leak-receipt.entity';

/**
 * Every TypeORM entity: the declared schema, handed to `openDatabase` (db/ does not know the features).
 * test/schema.test.ts holds it equal to the migrated database, table by table.
 */
export const ENTITIES = [Customer, Accesskey, Agent, AuditChainTable, AuditEventTable, LeakReceiptTable];

/**
 * Tables the migrations create that no entity can declare, and why. The schema
 * test fails on any other table without an entity.
 */
export const UNDECLARED_TABLES: Readonly<Record<string, string>> = {
  migrations: "TypeORM's own record of applied migrations",
  login_failures: 'has no primary key (rows are appended and pruned by time), which a TypeORM entity requires',
};
