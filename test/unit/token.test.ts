import { crc32 } from 'node:zlib';
import { displayPrefix, generateToken, hashToken, isWellFormedToken } from '../../src/keys/token';

describe('tokens', () => {
  it('are vb_ + 32 base62 characters whose last 6 are the base62 CRC32 of the rest', () => {
    const token = generateToken();
    expect(token).toMatch(/^vb_[0-9A-Za-z]{32}$/);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const decoded = [...token.slice(-6)].reduce((n, c) => n * 62 + alphabet.indexOf(c), 0);
    expect(decoded).toBe(crc32(token.slice(0, -6)));
  });

  it('are unique and use the whole alphabet', () => {
    const tokens = Array.from({ length: 2000 }, generateToken);
    expect(new Set(tokens).size).toBe(2000);
    const chars = new Set(tokens.map((t) => t.slice(3, 29)).join(''));
    expect(chars.size).toBe(62);
  });

  it('are recognised by shape and checksum', () => {
    const token = generateToken();
    expect(isWellFormedToken(token)).toBe(true);
    const i = 10;
    const mutated = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
    expect(isWellFormedToken(mutated)).toBe(false);
    expect(isWellFormedToken(token.slice(0, -1))).toBe(false);
    expect(isWellFormedToken(`${token}x`)).toBe(false);
    expect(isWellFormedToken(token.replace('vb_', 'VB_'))).toBe(false);
    expect(isWellFormedToken('vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe')).toBe(false); // the documentation's example
  });

  it('hash to lowercase hex SHA-256 and show an 11-character prefix', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(displayPrefix('vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe')).toBe('vb_a3Bf9xKm');
  });
});
