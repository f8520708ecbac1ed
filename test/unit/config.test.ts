import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { redactUrl } from '../../src/http/logging';

describe('configuration', () => {
  it('defaults to 127.0.0.1:8080 and the embedded database in ./data', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, database: { kind: 'embedded', dataDir: '/srv/app/data' }, logLevel: 'info' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('bounds the time a client may take to send a request (30 s unless set)', () => {
    expect(loadConfig({}).requestTimeoutMs).toBe(30000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '1500' }).requestTimeoutMs).toBe(1500);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', DB_POOL_MAX: '4' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:5432/x',
      poolMax: 4,
      bounds: { statementTimeoutMs: 5000, acquireTimeoutMs: 3000 },
      connectRetrySeconds: 30,
      listenUrl: 'postgres://postgres@127.0.0.1:5432/x',
      namedStatements: true,
    });
  });

  it('bounds every database wait: statement, checkout, and the retries at start', () => {
    const env = { DB_STATEMENT_TIMEOUT_MS: '1500', DB_ACQUIRE_TIMEOUT_MS: '700', DB_CONNECT_RETRY_SECONDS: '0' };
    expect(loadConfig(env).database).toMatchObject({ kind: 'embedded', bounds: { statementTimeoutMs: 1500, acquireTimeoutMs: 700 } });
    expect(loadConfig({ ...env, DATABASE_URL: 'postgres://h/x' }).database).toMatchObject({
      bounds: { statementTimeoutMs: 1500, acquireTimeoutMs: 700 },
      connectRetrySeconds: 0,
    });
    expect(loadConfig({}).database.bounds).toEqual({ statementTimeoutMs: 5000, acquireTimeoutMs: 3000 });
  });

  it('keeps the platform maximum key lifetime unless MAX_KEY_LIFETIME_SECONDS lowers it', () => {
    expect(loadConfig({}).maxKeyLifetimeSeconds).toBe(2147483647);
    expect(loadConfig({ MAX_KEY_LIFETIME_SECONDS: '7776000' }).maxKeyLifetimeSeconds).toBe(7776000);
  });

  it('flushes last uses every minute unless told more often', () => {
    expect(loadConfig({}).lastUsedFlushSeconds).toBe(60);
    expect(loadConfig({ LAST_USED_FLUSH_SECONDS: '5' }).lastUsedFlushSeconds).toBe(5);
  });

  it('keeps the audit trail for ever unless AUDIT_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({}).auditRetentionDays).toBeNull();
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '' }).auditRetentionDays).toBeNull();
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '400' }).auditRetentionDays).toBe(400);
  });

  it('takes a separate listening connection and named-statement switch for PgBouncer', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@bouncer:6432/db',
      DATABASE_LISTEN_URL: 'postgres://u@db:5432/db',
      DB_NAMED_STATEMENTS: 'false',
      AUTH_CACHE_SIZE: '0',
      AUTH_CACHE_TTL_SECONDS: '5',
    });
    expect(config.database).toMatchObject({ listenUrl: 'postgres://u@db:5432/db', namedStatements: false });
    expect(config.authCache).toEqual({ size: 0, ttlSeconds: 5 });
    expect(loadConfig({}).authCache).toEqual({ size: 10000, ttlSeconds: 30 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://h/db', DATABASE_LISTEN_URL: 'http://h/db' }, 'DATABASE_LISTEN_URL'],
    [{ DATABASE_URL: 'postgres://h/db', DB_NAMED_STATEMENTS: 'maybe' }, 'DB_NAMED_STATEMENTS'],
    [{ AUTH_CACHE_SIZE: '-1' }, 'AUTH_CACHE_SIZE'],
    [{ AUTH_CACHE_TTL_SECONDS: '0' }, 'AUTH_CACHE_TTL_SECONDS'],
    [{ LAST_USED_FLUSH_SECONDS: '0' }, 'LAST_USED_FLUSH_SECONDS'],
    [{ LAST_USED_FLUSH_SECONDS: '61' }, 'LAST_USED_FLUSH_SECONDS'],
    [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS'],
    [{ AUDIT_RETENTION_DAYS: '30d' }, 'AUDIT_RETENTION_DAYS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HOST: 'bad host!' }, 'HOST'],
    [{ SHUTDOWN_GRACE_MS: '-5' }, 'SHUTDOWN_GRACE_MS'],
    [{ REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [{ REQUEST_TIMEOUT_MS: '30s' }, 'REQUEST_TIMEOUT_MS'],
    [{ JWT_KEY: 'too-short' }, 'JWT_KEY'],
    [{ SESSION_TTL_SECONDS: '5' }, 'SESSION_TTL_SECONDS'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [{ PLAYGROUND: 'sometimes' }, 'PLAYGROUND'],
    [{ METRICS_PORT: '99999' }, 'METRICS_PORT'],
    [{ DB_STATEMENT_TIMEOUT_MS: '0' }, 'DB_STATEMENT_TIMEOUT_MS'],
    [{ DB_ACQUIRE_TIMEOUT_MS: 'soon' }, 'DB_ACQUIRE_TIMEOUT_MS'],
    [{ DATABASE_URL: 'postgres://h/x', DB_CONNECT_RETRY_SECONDS: '-1' }, 'DB_CONNECT_RETRY_SECONDS'],
    [{ GRAPHQL_INTROSPECTION: 'perhaps' }, 'GRAPHQL_INTROSPECTION'],
    [{ MAX_KEY_LIFETIME_SECONDS: '86399' }, 'MAX_KEY_LIFETIME_SECONDS'],
    [{ MAX_KEY_LIFETIME_SECONDS: '2147483648' }, 'MAX_KEY_LIFETIME_SECONDS'],
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

describe('leak reports (LEAK_REPORT_KEYS, LEAK_POLICY)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leak-keys-'));
  const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const file = (name: string, text: string, mode = 0o600) => {
    const full = path.join(dir, name);
    writeFileSync(full, text, { mode });
    return full;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts no report and disables reported keys unless configured', () => {
    expect(loadConfig({}).leakReports).toEqual({ keys: [], policy: 'disable' });
    expect(Object.isFrozen(loadConfig({}).leakReports)).toBe(true);
  });

  it('reads every public key of the PEM file, named by the SHA-256 of its canonical PEM, relative to the working directory', () => {
    const [a, b] = [p256(), p256()];
    // CRLF line ends and text around the blocks do not change a key's identifier.
    file('keys.pem', `GitHub secret scanning keys\n${a.replace(/\n/g, '\r\n')}\n# next\n${b}${a}`);
    const { keys } = loadConfig({ LEAK_REPORT_KEYS: 'keys.pem' }, dir).leakReports;
    expect(keys.map((k) => k.id)).toEqual([a, b].map((pem) => createHash('sha256').update(pem).digest('hex')));
    expect(keys[0].key.asymmetricKeyType).toBe('ec');
  });

  it('refuses to start on a missing, unreadable or keyless file, or a key that is not ECDSA P-256', () => {
    const fails = (value: string, message: RegExp) => {
      expect(() => loadConfig({ LEAK_REPORT_KEYS: value }, dir)).toThrow(ConfigError);
      expect(() => loadConfig({ LEAK_REPORT_KEYS: value }, dir)).toThrow(message);
    };
    fails('missing.pem', /^LEAK_REPORT_KEYS: cannot read .*missing\.pem \(ENOENT\)$/);
    fails(dir, /^LEAK_REPORT_KEYS: cannot read .* \(EISDIR\)$/);
    if (process.getuid?.() !== 0) fails(file('locked.pem', p256(), 0o000), /^LEAK_REPORT_KEYS: cannot read .*locked\.pem \(EACCES\)$/);
    fails(file('empty.pem', 'nothing here\n'), /empty\.pem holds no public key/);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fails(file('private.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), /private\.pem holds no public key/);
    fails(file('broken.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), /broken\.pem public key 1 is not a valid PEM public key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    fails(file('rsa.pem', `${p256()}${rsa}`), /rsa\.pem public key 2 is not an ECDSA P-256 key \(it is rsa\)/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    fails(file('p384.pem', p384), /p384\.pem public key 1 is not an ECDSA P-256 key \(it is ec secp384r1\)/);
  });

  it('takes LEAK_POLICY disable, revoke or notify', () => {
    expect(loadConfig({ LEAK_POLICY: 'revoke' }).leakReports.policy).toBe('revoke');
    expect(loadConfig({ LEAK_POLICY: 'notify' }).leakReports.policy).toBe('notify');
    expect(loadConfig({ LEAK_POLICY: 'disable' }).leakReports.policy).toBe('disable');
    expect(() => loadConfig({ LEAK_POLICY: 'delete' })).toThrow(new ConfigError('LEAK_POLICY must be one of disable, revoke, notify (got "delete")'));
  });
});

describe('TRUST_PROXY', () => {
  it('is false unless set; takes true, or proxy addresses and CIDRs as Fastify does', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,2001:db8::/32,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', 'loopback']);
  });

  it('refuses anything else, naming the variable; a hop count too (Fastify 5 would take it and trust nobody)', () => {
    for (const value of ['maybe', '10.0.0.0/33', '10.0.0.1,nope', '-1', '1', '2']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^TRUST_PROXY must be/);
    }
  });
});
