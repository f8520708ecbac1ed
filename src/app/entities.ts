import { Agent } from '../agents/agent.entity';
import { Customer } from '../customers/customer.entity';
import { Accesskey } from '../keys/accesskey.entity';

/** Every TypeORM entity: the declared schema, handed to `openDatabase` (db/ does not know the features). */
export const ENTITIES = [Customer, Accesskey, Agent];
