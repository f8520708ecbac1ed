import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { ensureTemplate } from '../db/database';

/**
 * `node dist/src/cli/template.js`, the last step of `npm run build`: makes the
 * embedded database's template (db/template.ts) unless one for this PGlite
 * release and these migrations is already there.
 */
async function run(): Promise<number> {
  try {
    // Made whatever DATABASE_URL says now: the build serves every later start, embedded or not.
    const database = loadConfig({ EMBEDDED_TEMPLATE_DIR: process.env.EMBEDDED_TEMPLATE_DIR }).database;
    const templateDir = database.kind === 'embedded' ? database.templateDir : null;
    if (!templateDir) {
      process.stdout.write('embedded database template: off\n');
      return 0;
    }
    const started = Date.now();
    const { file, made } = await ensureTemplate(templateDir);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(made ? `embedded database template: made ${file} in ${took} s\n` : `embedded database template: up to date (${file})\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`error: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}\n`);
    return 1;
  }
}

void run().then((code) => {
  process.exitCode = code;
});
