"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const database_1 = require("../src/db/database");
const time_1 = require("../src/time");
(async () => {
    const t0 = Date.now();
    const db = await (0, database_1.openDatabase)({ kind: 'embedded', dataDir: '/tmp/x' }, { migrate: true, inMemory: true });
    console.log('open ms', Date.now() - t0);
    const now = time_1.systemClock.now();
    await db.dataSource.query('INSERT INTO customers (id,name,tm_create,tm_update) VALUES ($1,$2,$3,$3)', [crypto.randomUUID(), 'x', now]);
    const rows = await db.dataSource.query('SELECT * FROM customers');
    console.log(now.toISOString(), rows, rows[0].tm_create.toISOString());
    console.log(await db.dataSource.query('SHOW timezone'));
    await db.close();
})().catch((e) => { console.error(e); process.exit(1); });
