import { ConfigError, loadConfig } from '../../src/config';
import { redactUrl } from '../../src/http/logging';

describe('configuration', () => {
  it('defaults to 127.0.0.1:8080 and the embedded database in ./data', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, database: { kind: 'embedded', dataDir: '/srv/app/data' }, logLevel: 'info' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', DB_POOL_MAX: '4' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/x', poolMax: 4 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HOST: 'bad host!' }, 'HOST'],
    [{ SHUTDOWN_GRACE_MS: '-5' }, 'SHUTDOWN_GRACE_MS'],
    [{ JWT_KEY: 'too-short' }, 'JWT_KEY'],
    [{ SESSION_TTL_SECONDS: '5' }, 'SESSION_TTL_SECONDS'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [{ PLAYGROUND: 'sometimes' }, 'PLAYGROUND'],
    [{ METRICS_PORT: '99999' }, 'METRICS_PORT'],
    [{ GRAPHQL_INTROSPECTION: 'perhaps' }, 'GRAPHQL_INTROSPECTION'],
    [{ GRAPHQL_MAX_DEPTH: '0' }, 'GRAPHQL_MAX_DEPTH'],
    [{ GRAPHQL_MAX_ALIASES: 'many' }, 'GRAPHQL_MAX_ALIASES'],
    [{ GRAPHQL_MAX_COST: '0' }, 'GRAPHQL_MAX_COST'],
    [{ GRAPHQL_MAX_TOKENS: '5' }, 'GRAPHQL_MAX_TOKENS'],
    [{ GRAPHQL_MAX_DIRECTIVES: '-1' }, 'GRAPHQL_MAX_DIRECTIVES'],
  ])('refuses %j with a message naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name}`));
  });
});

it('reads the session settings', () => {
  const { auth } = loadConfig({ JWT_KEY: 'k'.repeat(32), SESSION_TTL_SECONDS: '3600', COOKIE_SECURE: 'false', LOGIN_MAX_FAILURES: '5', LOGIN_WINDOW_SECONDS: '30' });
  expect(auth).toEqual({ jwtKey: 'k'.repeat(32), sessionTtlSeconds: 3600, cookieSecure: false, loginMaxFailures: 5, loginWindowSeconds: 30 });
  expect(loadConfig({}).auth).toEqual({ jwtKey: null, sessionTtlSeconds: 604800, cookieSecure: true, loginMaxFailures: 10, loginWindowSeconds: 60 });
});

it('switches the playground off in production unless asked, and places the metrics', () => {
  expect(loadConfig({}).playground).toBe(true);
  expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', PLAYGROUND: 'true' }).playground).toBe(true);
  expect(loadConfig({}).metrics).toEqual({ enabled: true, port: null, host: '127.0.0.1' });
  expect(loadConfig({ METRICS: 'off' }).metrics).toEqual({ enabled: false });
  expect(loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ enabled: true, port: 9100, host: '0.0.0.0' });
});

it('limits GraphQL requests, and closes introspection in production unless asked', () => {
  expect(loadConfig({}).graphql).toEqual({
    introspection: true,
    limits: { maxDepth: 8, maxAliases: 15, maxCost: 10000, maxTokens: 1000, maxDirectives: 10 },
  });
  expect(loadConfig({ NODE_ENV: 'production' }).graphql.introspection).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
  expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphql.introspection).toBe(false);
  const custom = loadConfig({ GRAPHQL_MAX_DEPTH: '12', GRAPHQL_MAX_ALIASES: '0', GRAPHQL_MAX_COST: '50000', GRAPHQL_MAX_TOKENS: '4000', GRAPHQL_MAX_DIRECTIVES: '3' });
  expect(custom.graphql.limits).toEqual({ maxDepth: 12, maxAliases: 0, maxCost: 50000, maxTokens: 4000, maxDirectives: 3 });
  expect(Object.isFrozen(custom.graphql.limits)).toBe(true);
});

describe('log redaction', () => {
  it('hides credential query parameters and keeps the rest', () => {
    expect(redactUrl('/v1.0/accesskeys?accesskey=vb_x&page_size=5')).toBe('/v1.0/accesskeys?accesskey=[REDACTED]&page_size=5');
    expect(redactUrl('/graphql?token=abc&AccessKey=vb_y')).toBe('/graphql?token=[REDACTED]&AccessKey=[REDACTED]');
    expect(redactUrl('/v1.0/accesskeys?%61ccesskey=vb_z')).toBe('/v1.0/accesskeys?%61ccesskey=[REDACTED]');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
