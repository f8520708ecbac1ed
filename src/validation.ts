import { ValidateBy, buildMessage, getMetadataStorage, isUUID, validate } from 'class-validator';
import type { ValidationError } from 'class-validator';
import { invalidArgument } from './errors';

type Constructor<T> = new () => T;

const declaredFields = new Map<Function, readonly string[]>();

function fieldsOf(cls: Function): readonly string[] {
  let fields = declaredFields.get(cls);
  if (!fields) {
    const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    fields = [...new Set(metas.map((m) => m.propertyName))];
    declaredFields.set(cls, fields);
  }
  return fields;
}

function firstProblem(errors: ValidationError[]): { field: string; problem: string } {
  const error = errors[0];
  const constraints = Object.values(error.constraints ?? {});
  // class-validator phrases messages as "<field> must ..."; keep the part after the field name.
  const message = constraints[0] ?? 'is invalid';
  const problem = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
  return { field: error.property, problem };
}

/**
 * Builds a validated instance of an input class from untrusted data, using the
 * class-validator rules declared on that class (the same rules GraphQL applies).
 * Only declared fields are copied; unknown fields are ignored.
 * Throws `INVALID_ARGUMENT` naming the first offending field.
 */
export async function parseInput<T extends object>(cls: Constructor<T>, data: unknown, what = 'body'): Promise<T> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw invalidArgument(what, 'must be a JSON object');
  }
  const instance = new cls();
  const source = data as Record<string, unknown>;
  for (const field of fieldsOf(cls)) {
    if (Object.prototype.hasOwnProperty.call(source, field)) {
      (instance as Record<string, unknown>)[field] = source[field];
    }
  }
  await assertValid(instance);
  return instance;
}

/** Validates an already-typed instance (GraphQL hands these over). */
export async function assertValid(instance: object): Promise<void> {
  const errors = await validate(instance, { forbidUnknownValues: false, validationError: { target: false, value: false } });
  if (errors.length > 0) {
    const { field, problem } = firstProblem(errors);
    throw invalidArgument(field, problem);
  }
}

export function assertUuid(value: unknown, field = 'id'): asserts value is string {
  if (typeof value !== 'string' || !isUUID(value)) throw invalidArgument(field, 'must be a UUID');
}

/**
 * A UUID as the database stores it: lower case. Every id that comes in (REST
 * path, GraphQL argument, CLI flag) goes through here, so what is compared,
 * logged and hashed into the audit trail is exactly what a `uuid` column holds.
 */
export function parseUuid(value: unknown, field = 'id'): string {
  assertUuid(value, field);
  return value.toLowerCase();
}

/** A UTF-16 surrogate without its partner (in `u` mode a proper pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when `text` holds an unpaired surrogate, which is no Unicode text: PostgreSQL's `jsonb` refuses it. */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** What an unpaired surrogate becomes where it cannot be refused: U+FFFD, as UTF-8 encoding (and so the `text` columns) would have it. */
export const wellFormed = (text: string): string => text.replace(/\p{Cs}/gu, '\uFFFD');

/**
 * Refuses text holding an unpaired UTF-16 surrogate (`"\ud800"` in JSON):
 * it is no Unicode text, a `text` column would silently store U+FFFD and the
 * audit trail's `jsonb` refuses it, so it is a 400 naming the field.
 */
export function WellFormedText(): PropertyDecorator {
  return ValidateBy({
    name: 'wellFormedText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !hasLoneSurrogate(value),
      defaultMessage: buildMessage((each) => `${each}$property must not contain unpaired UTF-16 surrogates`),
    },
  });
}

/**
 * How this module's own constraints appear in a JSON Schema generated from the
 * classes (class-validator-jsonschema): `WellFormedText` has no JSON Schema
 * keyword, so it adds nothing (without this, the generator emits a broken `$ref`).
 */
export const JSON_SCHEMA_CONVERTERS = { wellFormedText: {} };

/** Unicode code points, as PostgreSQL counts the characters of a `varchar(n)` (a lone surrogate is stored as U+FFFD: one). */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * At most `max` characters as PostgreSQL counts them. class-validator's
 * `MaxLength` counts otherwise (it ignores variation selectors, so
 * `"a\uFE0F"` counts 1 where PostgreSQL stores 2) and would let through text
 * the database then refuses. Registered as `maxLength` because JSON Schema's
 * `maxLength` also counts code points, so the OpenAPI description stays exact.
 */
export function MaxCodePoints(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'maxLength',
    constraints: [max],
    validator: {
      validate: (value: unknown) => typeof value === 'string' && (value.length <= max || codePointLength(value) <= max),
      defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`),
    },
  });
}
