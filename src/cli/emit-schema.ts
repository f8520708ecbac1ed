import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { AccesskeyService } from '../accesskeys/accesskey.service';
import { buildAppSchema, printSchemaFile } from '../app/graphql-schema';

/** Writes `schema.graphql` from the code (no database needed: resolvers are never called). */
async function main(): Promise<void> {
  const schema = await buildAppSchema({ accesskeys: {} as AccesskeyService, verify: {} as never, audit: {} as never, accesskeyPolicy: {} as never });
  const target = path.resolve(__dirname, '../../../schema.graphql');
  fs.writeFileSync(target, printSchemaFile(schema));
  process.stdout.write(`wrote ${target}\n`);
}

void main();
