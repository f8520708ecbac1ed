import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { describeDriverError, isUnavailable } from '../../src/db/errors';

/** An error the database server sent (pg parses it into a DatabaseError). */
const pgError = (code: string, message = 'x') => Object.assign(new DatabaseError(message, 0, 'error'), { code });
/** A failed socket call of the driver's connection, as Node reports it. */
const socketError = (code: string, syscall: string, message = `${syscall} ${code}`) => Object.assign(new Error(message), { code, errno: -1, syscall });
const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isUnavailable', () => {
  it.each([
    ['connection refused', socketError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['connection reset', socketError('ECONNRESET', 'read')],
    ['connection reset (TypeORM-wrapped)', wrapped(socketError('ECONNRESET', 'read'))],
    ['statement timeout (TypeORM-wrapped)', wrapped(pgError('57014', 'canceling statement due to statement timeout'))],
    ['lock not available', wrapped(pgError('55P03'))],
    ['connection failure class 08', wrapped(pgError('08006'))],
    ['server shutting down', wrapped(pgError('57P01'))],
    ['server starting', pgError('57P03')],
    ['too many connections', pgError('53300')],
    ['lost connection', new Error('Connection terminated unexpectedly')],
    ['pool checkout bound', new Error('timeout exceeded when trying to connect')],
    ['client-side query bound', wrapped(new Error('Query read timeout'))],
    ['failed connect to several addresses', Object.assign(new AggregateError([socketError('ECONNREFUSED', 'connect')]), { code: 'ECONNREFUSED' })],
    ['a cause', new Error('outer', { cause: socketError('ETIMEDOUT', 'read') })],
    ['graphql-js wrapping a foreign value', { message: 'Unexpected error value', thrownValue: { code: 'ECONNREFUSED', syscall: 'connect' } }],
  ])('is true for %s', (_what, err) => {
    expect(isUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', wrapped(pgError('23505'))],
    ['a deadlock', wrapped(pgError('40P01'))],
    ['a syntax error', wrapped(pgError('42601'))],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an object', 'ECONNREFUSED'],
    // Node's HTTP server reports a client's aborted body with the code of a reset connection, but no socket call.
    ['a client that aborted its request body', Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 })],
    ['a timeout SQLSTATE not sent by the database', Object.assign(new Error('x'), { code: '57014' })],
  ])('is false for %s', (_what, err) => {
    expect(isUnavailable(err)).toBe(false);
  });

  it('describes the innermost driver error by code and message only', () => {
    const err = wrapped(pgError('57014', 'canceling statement due to statement timeout'));
    expect(describeDriverError(err)).toBe('57014 canceling statement due to statement timeout');
  });
});
