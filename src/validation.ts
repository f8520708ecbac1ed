import { getMetadataStorage, isUUID, validate } from 'class-validator';
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
