import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { loadConfig } from '../../src/config';
import { queryLimitsRule } from '../../src/graphql/limits';
import { docPages } from '../helpers/markdown';
import { ROOT } from '../helpers/process';

// What the docs tell a reader to run still exists: npm scripts, files of this repository, GraphQL operations.
// (test/slow/clients.test.ts runs the client examples, test/tutorial.test.ts the REST tutorial.)
const pages = docPages();
/** Each piece of code a page shows, code blocks and code spans alike, with the page it is on. */
const code = pages.flatMap((page) => [...page.codeBlocks.map((b) => b.body), ...page.codeSpans].map((text) => ({ file: page.file, text })));

describe('commands and paths in README.md and docs/', () => {
  it('every `npm run` names a script of package.json', () => {
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const named = code.flatMap(({ file, text }) => [...text.matchAll(/\bnpm run(?: -s| --silent)? ([\w:*-]+)/g)].map((m) => ({ file, script: m[1] })));
    // `npm run migration:*` stands for the scripts it matches: at least one must.
    const exists = (script: string) => (script.endsWith('*') ? scripts.some((s) => s.startsWith(script.slice(0, -1))) : scripts.includes(script));
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter(({ script }) => !exists(script))).toEqual([]);
  });

  it('every path into src/, test/, docs/, examples/, migrations/, bench/, scripts/ or .ci/ exists', () => {
    const mentioned = code.flatMap(({ file, text }) =>
      [...text.matchAll(/(?<![\w./-])((?:src|test|docs|examples|migrations|bench|scripts|\.ci)\/[\w./-]*)/g)]
        .map((m) => m[1].replace(/[.,]+$/, ''))
        .map((p) => ({ file, path: p })),
    );
    expect(mentioned.length).toBeGreaterThan(20);
    expect(mentioned.filter(({ path: p }) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});

describe('GraphQL operations in README.md and docs/', () => {
  const schema = buildSchema(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
  const limits = loadConfig({}).graphql.limits;

  /** The operations shown: graphql blocks (one operation per line or block of lines), and the queries in curl commands. */
  const operations = pages.flatMap((page) => {
    const shown: string[] = [];
    for (const block of page.codeBlocks) {
      if (block.lang === 'graphql') shown.push(...block.body.split(/\n(?=query|mutation|\{)/));
      for (const m of block.body.matchAll(/"query":"((?:[^"\\]|\\.)*)"/g)) shown.push(JSON.parse(`"${m[1]}"`) as string);
      for (const m of block.body.matchAll(/--data-urlencode 'query=([^']*)'/g)) shown.push(m[1]);
    }
    return shown.map((operation) => ({ file: page.file, operation }));
  });

  it('finds the operations', () => {
    expect(operations.length).toBeGreaterThan(15);
  });

  it('each is valid against schema.graphql and within the default limits', () => {
    const invalid = operations.flatMap(({ file, operation }) => {
      const errors = validate(schema, parse(operation, { maxTokens: limits.maxTokens }), [...specifiedRules, queryLimitsRule(limits)]);
      return errors.length === 0 ? [] : [{ file, operation, errors: errors.map((e) => e.message) }];
    });
    expect(invalid).toEqual([]);
  });
});
