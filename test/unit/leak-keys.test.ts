import { generateKeyPairSync, sign } from 'node:crypto';
import { LeakSignatures, leakKeyIdentifier, parseLeakReportKeys } from '../../src/leaks/leak.keys';

// GitHub's published example (docs.github.com, secret scanning partner program): its key, the
// identifier GitHub names it by, and a signature of a sample payload.
const GITHUB_KEY = [
  '-----BEGIN PUBLIC KEY-----',
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9MJJHnMfn2+H4xL4YaPDA4RpJqUq',
  'kCmRCBnYERxZanmcpzQSXs1X/AljlKkbJ8qpVIW4clayyef9gWhFbNHWAA==',
  '-----END PUBLIC KEY-----',
  '',
].join('\n');
const GITHUB_KEY_ID = '90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a';
const GITHUB_PAYLOAD = Buffer.from('[{"token":"some_token","type":"some_type","url":"some_url"}]');
const GITHUB_SIGNATURE = 'MEUCIQDKZokqnCjrRtw0tni+2Ltvl/uiMJ1EGumEsp1BsNr32AIgQY1YXD2nlj+XNfGK4rBfkMJ1JDOQcYXxa2sY8FNkrKc=';

describe('leak report signatures', () => {
  it("names a key as GitHub does, and verifies GitHub's own example signature", () => {
    const keys = parseLeakReportKeys(GITHUB_KEY);
    expect(keys.map((k) => k.id)).toEqual([GITHUB_KEY_ID]);
    // However the PEM is wrapped.
    const rewrapped = `-----BEGIN PUBLIC KEY-----\r\n${GITHUB_KEY.split('\n').slice(1, 3).join('')}\r\n-----END PUBLIC KEY-----`;
    expect(leakKeyIdentifier(parseLeakReportKeys(rewrapped)[0].key)).toBe(GITHUB_KEY_ID);
    const signatures = new LeakSignatures(keys);
    expect(signatures.enabled).toBe(true);
    expect(signatures.verify(GITHUB_KEY_ID, GITHUB_SIGNATURE, GITHUB_PAYLOAD)).toBe(true);
    expect(signatures.verify(GITHUB_KEY_ID.toUpperCase(), GITHUB_SIGNATURE, GITHUB_PAYLOAD)).toBe(true);
    expect(signatures.verify(GITHUB_KEY_ID, GITHUB_SIGNATURE, Buffer.concat([GITHUB_PAYLOAD, Buffer.from('\n')]))).toBe(false);
    expect(signatures.verify(GITHUB_KEY_ID.replace('9', '8'), GITHUB_SIGNATURE, GITHUB_PAYLOAD)).toBe(false);
  });

  it('refuses what is not a signature of the body by a configured key', () => {
    const mine = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keys = parseLeakReportKeys(mine.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const signatures = new LeakSignatures(keys);
    const body = Buffer.from('[]');
    const good = sign('sha256', body, mine.privateKey).toString('base64');
    expect(signatures.verify(keys[0].id, good, body)).toBe(true);
    expect(signatures.verify(keys[0].id, sign('sha256', body, other.privateKey).toString('base64'), body)).toBe(false);
    expect(signatures.verify(keys[0].id, 'bm90IERFUg==', body)).toBe(false);
    expect(signatures.verify(keys[0].id, '', body)).toBe(false);
    expect(signatures.verify(keys[0].id, `${good}${'A'.repeat(200)}`, body)).toBe(false);
    expect(signatures.verify(leakKeyIdentifier(other.publicKey), sign('sha256', body, other.privateKey).toString('base64'), body)).toBe(false);
    expect(new LeakSignatures([]).enabled).toBe(false);
  });
});
