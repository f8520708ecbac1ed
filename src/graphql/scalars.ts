import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { Instant } from '../time';

function parse(value: unknown): Instant {
  const instant = typeof value === 'string' ? Instant.parse(value) : null;
  if (!instant) throw new TypeError('DateTime must be an RFC 3339 timestamp with a zone, e.g. 2026-12-01T10:15:30.123456Z');
  return instant;
}

/** RFC 3339 timestamps, always UTC with six fractional digits, as the REST layer shows them. */
export const DateTimeScalar = new GraphQLScalarType<Instant, string>({
  name: 'DateTime',
  description: 'A UTC timestamp in RFC 3339 form with microseconds, e.g. 2027-04-28T01:41:40.503790Z.',
  serialize(value) {
    if (value instanceof Instant) return value.toISOString();
    throw new TypeError('DateTime cannot represent this value');
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return parse(ast.value);
  },
});

const isJSONObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A JSON object: the audit trail's before/after/detail, and a key's `meta` (also as input). */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  description: 'A JSON object.',
  serialize(value) {
    if (isJSONObject(value)) return value;
    throw new TypeError('JSONObject cannot represent this value');
  },
  parseValue(value) {
    if (isJSONObject(value)) return value;
    throw new TypeError('JSONObject must be an object');
  },
  parseLiteral(ast, variables) {
    if (ast.kind !== Kind.OBJECT) throw new TypeError('JSONObject must be an object');
    return valueFromASTUntyped(ast, variables) as Record<string, unknown>;
  },
});
