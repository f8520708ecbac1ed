import { ENTITIES, UNDECLARED_TABLES } from '../src/app/entities';
import type { Database } from '../src/db/database';
import { openTestDatabase, usingPostgres } from './helpers/database';

const kind = usingPostgres ? 'PostgreSQL' : 'PGlite';
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

it(`the TypeORM entities declare exactly the migrated schema (${kind}): the schema diff is empty`, async () => {
  // The statements TypeORM's synchronize would run to make the database match the entities; never run here.
  const diff = await database.dataSource.driver.createSchemaBuilder().log();
  const drift = diff.upQueries.map((q) => q.query);
  // The failure shows each statement: what differs between the entities and the migrations.
  expect(drift).toEqual([]);
});

it(`every table of the migrated schema (${kind}) is declared by an entity, or listed with the reason it cannot be`, async () => {
  const rows = await database.sql.query<{ table_name: string }>(
    'schema_tables',
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    [],
  );
  const declared = new Set(ENTITIES.map((entity) => database.dataSource.getMetadata(entity).tableName));
  const undeclared = rows.map((r) => r.table_name).filter((name) => !declared.has(name) && !(name in UNDECLARED_TABLES));
  expect(undeclared).toEqual([]);
  // And the exceptions are real tables, so the list cannot go stale.
  expect(Object.keys(UNDECLARED_TABLES).filter((name) => !rows.some((r) => r.table_name === name))).toEqual([]);
});
