// Two projects (docs/testing.md): `fast` is everything in-process (Fastify inject or a port of this
// process, PGlite in-process or PostgreSQL, unit tests); `slow` is every suite that starts real child
// processes (servers, the CLI, PgBouncer, code generators, a browser) and lives under test/slow/.
// `npm test` runs both, `npm run test:fast` only the first; the reporter prints each project's time.
const common = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60000,
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/helpers/project-times.js'],
  projects: [
    { ...common, displayName: 'fast', roots: ['<rootDir>/test'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/slow/'] },
    { ...common, displayName: 'slow', roots: ['<rootDir>/test/slow'] },
  ],
};
