import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

// A newcomer's `npm ci` on the oldest Node that package.json supports must print no EBADENGINE:
// every package the lock file installs (dev dependencies included) accepts that Node, and the
// one running the suite. A dependency update that wants a newer Node fails here, not on a laptop.

const ROOT = path.join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

const supported: string = readJson('package.json').engines.node;
const lock: { packages: Record<string, { version?: string; engines?: unknown }> } = readJson('package-lock.json');

/** `engines.node` of each locked package that states one (some very old packages wrote `engines` as a list of words: npm does not check those). */
const wanted = Object.entries(lock.packages).flatMap(([location, entry]) => {
  const engines = entry.engines;
  if (typeof engines !== 'object' || engines === null || Array.isArray(engines)) return [];
  const node = (engines as Record<string, unknown>).node;
  return typeof node === 'string' ? [{ location, version: entry.version, node }] : [];
});

it('reads the engines of the locked packages (the lock file records them)', () => {
  expect(semver.validRange(supported)).not.toBeNull();
  expect(wanted.length).toBeGreaterThan(50);
  expect(wanted.filter(({ node }) => semver.validRange(node) === null)).toEqual([]);
});

it.each([
  ['the oldest supported Node', semver.minVersion(supported)!.version],
  ['the Node running the suite', process.version],
])('installs no package that refuses %s (%s)', (_what, version) => {
  expect(semver.satisfies(version, supported)).toBe(true);
  expect(wanted.filter(({ node }) => !semver.satisfies(version, node))).toEqual([]);
});
