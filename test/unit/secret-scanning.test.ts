import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateToken, isWellFormedToken, withoutSecretTokenScheme } from '../../src/keys/token';

// The shipped gitleaks rule and trufflehog detector find our tokens and only them; the checksum
// (which no regex can check) is left to `token check` and the verify endpoint.
const DIR = path.resolve(__dirname, '..', '..', 'docs', 'secret-scanning');
const gitleaks = /^regex = '''(.+)'''$/m.exec(readFileSync(path.join(DIR, 'gitleaks.toml'), 'utf8'))![1];
const trufflehog = /^\s+token: '(.+)'$/m.exec(readFileSync(path.join(DIR, 'trufflehog.yaml'), 'utf8'))![1];

/** Every match of a rule's regex in a text (RE2 and JavaScript agree on this subset). */
const find = (regex: string, text: string) => [...text.matchAll(new RegExp(regex, 'g'))].map((m) => m[0]);

const token = generateToken();

describe.each([
  ['gitleaks', gitleaks],
  ['trufflehog', trufflehog],
])('%s rule', (_name, regex) => {
  it('finds real tokens in code, config, URLs and the RFC 8959 form', () => {
    const tokens = [generateToken(), generateToken(), generateToken(), generateToken()];
    const text = [
      `const key = "${tokens[0]}";`,
      `VB_ACCESSKEY=${tokens[1]}`,
      `curl 'https://api.example/v1.0/accesskeys?accesskey=${tokens[2]}'`,
      `Authorization: Bearer secret-token:${tokens[3]}`,
    ].join('\n');
    expect(find(regex, text)).toEqual(tokens);
  });

  it('does not match near misses of the wrong length, prefix or alphabet', () => {
    const body = token.slice(3);
    const misses = [`vb_${body.slice(1)}`, `vb_${body}x`, `vb_${body}_tail`, `xvb_${body}`, `vc_${body}`, `vb_${body.slice(0, 31)}-`, `VB_${body}`];
    expect(find(regex, misses.join('\n'))).toEqual([]);
  });
});

describe('what the rules cannot check: the checksum', () => {
  it('a right-length candidate with a wrong checksum is found by the regex and refused by the check', () => {
    const last = token.at(-1)!;
    const badChecksum = token.slice(0, -1) + (last === 'a' ? 'b' : 'a');
    expect(find(gitleaks, badChecksum)).toEqual([badChecksum]);
    expect(isWellFormedToken(badChecksum)).toBe(false);
    expect(isWellFormedToken(token)).toBe(true);
  });

  it('reads the RFC 8959 form wherever a token is accepted', () => {
    expect(withoutSecretTokenScheme(`secret-token:${token}`)).toBe(token);
    expect(withoutSecretTokenScheme(`SECRET-TOKEN:${token}`)).toBe(token);
    expect(withoutSecretTokenScheme(` secret-token:${token}`)).toBe(` secret-token:${token}`);
    expect(withoutSecretTokenScheme(token)).toBe(token);
  });
});
