import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { parseMarkdown } from '../helpers/markdown';
import { ROOT } from '../helpers/process';

// One fact, one place: docs/configuration.md's table lists exactly the variables src/config.ts reads.
const CONFIG_SOURCE = fs.readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8');
const CONFIGURATION_PAGE = 'docs/configuration.md';

const NAME = '[A-Z][A-Z0-9_]*';
/** `env.X`, `env['X']`, `process.env.X`, and a helper's `(env, 'X'` as in `intVar(env, 'PORT', …)`. */
const READS = [
  new RegExp(`\\benv\\.(${NAME})\\b`, 'g'),
  new RegExp(`\\benv\\[\\s*['"\`](${NAME})['"\`]\\s*\\]`, 'g'),
  new RegExp(`\\(\\s*env\\s*,\\s*['"\`](${NAME})['"\`]`, 'g'),
];

/** The variables config.ts reads, from its source. */
function readInSource(source: string): Set<string> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1'); // comments name variables too
  return new Set(READS.flatMap((re) => [...code.matchAll(re)].map((m) => m[1])));
}

/** The variables `loadConfig` touches when given `env`, by watching it. */
function readAtRun(env: Record<string, string>): Set<string> {
  const touched = new Set<string>();
  const watched = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') touched.add(name);
      return target[name as string];
    },
  });
  loadConfig(watched, ROOT);
  return touched;
}

/** The first column of the configuration page's tables: the variable names. */
function documented(): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, CONFIGURATION_PAGE), 'utf8');
  parseMarkdown(CONFIGURATION_PAGE, text); // the page must parse as the other docs do
  return new Set([...text.matchAll(new RegExp(`^\\|\\s*\`(${NAME})\`\\s*\\|`, 'gm'))].map((m) => m[1]));
}

describe('docs/configuration.md and src/config.ts', () => {
  it('the table lists every variable config.ts reads, and reads every variable the table lists', () => {
    const read = readInSource(CONFIG_SOURCE);
    const table = documented();
    expect({ notDocumented: [...read].filter((v) => !table.has(v)).sort(), notRead: [...table].filter((v) => !read.has(v)).sort() }).toEqual({
      notDocumented: [],
      notRead: [],
    });
  });

  it('reading the source misses no variable loadConfig actually reads (embedded and PostgreSQL, metrics on their own port)', () => {
    const read = readInSource(CONFIG_SOURCE);
    const atRun = new Set([
      ...readAtRun({}),
      ...readAtRun({ DATABASE_URL: 'postgres://app@127.0.0.1:5432/accesskeys', METRICS_PORT: '9100' }),
    ]);
    expect(atRun.size).toBeGreaterThan(20);
    expect([...atRun].filter((v) => !read.has(v)).sort()).toEqual([]);
  });

  it('recognises each way config.ts may read a variable, and not a name in a comment', () => {
    const source = `
      // DEPRECATED_NAME is gone
      /* OLD_NAME too */
      const a = env.HOST;
      const b = env['LOG_LEVEL'];
      const c = intVar(env, 'PORT', 8080, 0, 65535);
      const d = boolVar( env , "METRICS", true);
      const e = process.env.NODE_ENV;
    `;
    expect([...readInSource(source)].sort()).toEqual(['HOST', 'LOG_LEVEL', 'METRICS', 'NODE_ENV', 'PORT']);
  });
});
