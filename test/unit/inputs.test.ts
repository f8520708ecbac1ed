import { CreateAccesskeyInput } from '../../src/accesskeys/accesskey.inputs';
import { CreateAgentInput, LoginInput, PasswordInput } from '../../src/agents/agent.inputs';
import { CreateCustomerInput } from '../../src/customers/customer.inputs';
import { AppError } from '../../src/errors';
import { codePointLength, parseInput } from '../../src/validation';

// Every varchar(255) column is fed by one of these; PostgreSQL counts its length in code points.
const cases: Array<[string, new () => object, Record<string, unknown>, string]> = [
  ['customer name', CreateCustomerInput, {}, 'name'],
  ['agent name', CreateAgentInput, { username: 'ann', password: 'long enough', permission: 32 }, 'name'],
  ['access key name', CreateAccesskeyInput, { expire: 86400 }, 'name'],
];

const refusal = async (cls: new () => object, data: Record<string, unknown>) => {
  try {
    await parseInput(cls, data);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).field;
  }
};

describe('lengths count Unicode code points, as PostgreSQL does', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('a\uFE0F')).toBe(2);
    expect(codePointLength('\u{1F600}')).toBe(1);
    expect(codePointLength('\uD800x')).toBe(2); // a lone surrogate is stored as one U+FFFD
  });

  it.each(cases)('%s: 255 code points pass, 256 are refused naming the field', async (_label, cls, base, field) => {
    expect(await refusal(cls, { ...base, [field]: 'a\uFE0F'.repeat(127) + 'a' })).toBeNull();
    expect(await refusal(cls, { ...base, [field]: '\u{1F600}'.repeat(255) })).toBeNull();
    expect(await refusal(cls, { ...base, [field]: 'a\uFE0F'.repeat(128) })).toBe(field);
    expect(await refusal(cls, { ...base, [field]: '\u{1F600}'.repeat(256) })).toBe(field);
  });

  it('usernames (agent and login) are at most 255 code points', async () => {
    expect(await refusal(CreateAgentInput, { username: 'a'.repeat(256), password: 'long enough', permission: 32 })).toBe('username');
    expect(await refusal(LoginInput, { username: 'a\uFE0F'.repeat(128), password: 'x' })).toBe('username');
    expect(await refusal(LoginInput, { username: 'a'.repeat(255), password: 'x' })).toBeNull();
  });
});

it('no password can be set with a NUL (a login with one can then never match)', async () => {
  expect(await refusal(CreateAgentInput, { username: 'ann', password: 'long enough\u0000', permission: 32 })).toBe('password');
  expect(await refusal(PasswordInput, { password: '\u0000long enough' })).toBe('password');
  expect(await refusal(PasswordInput, { password: 'long enough' })).toBeNull();
});
