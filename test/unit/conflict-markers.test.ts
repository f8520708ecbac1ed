import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/process';

// scripts/check-conflict-markers.mjs (npm run check:conflicts, run by .ci/run), on scratch git repositories.
const SCRIPT = path.join(ROOT, 'scripts', 'check-conflict-markers.mjs');
// Built, so that this file holds no marker at the start of a line itself.
const START = '<'.repeat(7);
const SEPARATOR = '='.repeat(7);
const END = '>'.repeat(7);
const BASE = '|'.repeat(7);

let repo: string;

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-conflicts-'));
  git('init', '-q');
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

function git(...args: string[]): void {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

/** Writes `files` and makes them tracked (staged is enough for `git ls-files`). */
function track(files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    fs.writeFileSync(path.join(repo, name), content);
  }
  git('add', '-A');
}

function check(cwd = repo): { code: number | null; reported: string[] } {
  const result = spawnSync(process.execPath, [SCRIPT], { cwd, encoding: 'utf8' });
  return { code: result.status, reported: result.stderr.split('\n').filter((l) => /:\d+: /.test(l)).map((l) => l.split(': ')[0]) };
}

it('fails on a committed conflict, naming each marker line', () => {
  track({
    'README.md': ['# Layout', '', `${START} HEAD`, 'src/auth/  ours', `${SEPARATOR}`, 'src/auth/  theirs', `${END} canary`, 'after'].join('\n'),
    'src/ok.ts': 'export const ok = 1;\n',
  });
  expect(check()).toEqual({ code: 1, reported: ['README.md:3', 'README.md:5', 'README.md:7'] });
});

it("fails on diff3's base marker and on CRLF files", () => {
  track({ 'a.txt': [`${START} ours`, 'x', `${BASE} base`, 'y', SEPARATOR, 'z', `${END} theirs`, ''].join('\r\n') });
  expect(check()).toEqual({ code: 1, reported: ['a.txt:1', 'a.txt:3', 'a.txt:5', 'a.txt:7'] });
});

it('fails on a start or end marker left alone after a half-done resolution', () => {
  track({ 'one.md': `kept\n${END} theirs\n`, 'two.md': `${START} HEAD\nkept\n` });
  expect(check()).toEqual({ code: 1, reported: ['one.md:2', 'two.md:1'] });
});

it('passes lines of = outside a conflict: a setext heading, the first-start banner, a lone separator', () => {
  const banner = '='.repeat(72);
  track({
    'doc.md': ['Title', SEPARATOR, '', 'Section', '-------', '', '```', banner, 'FIRST START: …', banner, '```', '', SEPARATOR, ''].join('\n'),
    'quote.md': '> > > nested quote\n>> also\n<<< not seven\n',
  });
  expect(check()).toEqual({ code: 0, reported: [] });
});

it('reads only tracked text files', () => {
  track({ 'tracked.md': 'clean\n', 'image.bin': Buffer.concat([Buffer.from(`${START} HEAD\n${SEPARATOR}\n${END} x\n`), Buffer.from([0, 1, 2])]) });
  fs.writeFileSync(path.join(repo, 'untracked.md'), `${START} HEAD\n${SEPARATOR}\n${END} x\n`);
  expect(check()).toEqual({ code: 0, reported: [] });
});

it('refuses to pass outside a git work tree', () => {
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'akd-no-git-'));
  try {
    expect(check(plain).code).toBe(2);
  } finally {
    fs.rmSync(plain, { recursive: true, force: true });
  }
});

it('finds none in this repository', () => {
  expect(check(ROOT)).toEqual({ code: 0, reported: [] });
});
