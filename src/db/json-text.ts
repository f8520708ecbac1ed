/**
 * JSON text that a statement finishes: the parts known before it runs are
 * written here, exactly as `JSON.stringify` writes them, and the parts only
 * the statement knows (a column of the row it changes) are SQL expressions
 * it renders with `to_json(…)::text`. For text, PostgreSQL's JSON escaping
 * (`escape_json`) and `JSON.stringify`'s are the same: `"`, `\`, `\b \f \n
 * \r \t` by name, other characters below U+0020 as lower-case `\u00xx`,
 * everything else as is (PostgreSQL text holds no NUL and no lone surrogate,
 * the two cases where they could differ). So a value filled in by the
 * statement reads back into the same text a JavaScript writer would have
 * made of it, which is what lets a hash computed in SQL be checked in JS.
 */

/** A value only the statement knows: a SQL expression of type `text` (or an integer type). Never a timestamp or a float. */
export class SqlValue {
  constructor(readonly expr: string) {}
}

/** A piece of JSON text: known text, or a value for the statement to write. */
export type JsonPiece = string | SqlValue;

/** Plain JSON data in which some values are `SqlValue`s. */
export type JsonWithSql = string | number | boolean | null | SqlValue | JsonWithSql[] | { [key: string]: JsonWithSql | undefined };

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The JSON text of `value`, as pieces: `JSON.stringify`'s text for plain
 * data (objects in insertion order, or with keys sorted at every depth when
 * `sorted`: the canonical form the audit chain hashes), with each `SqlValue`
 * left as a piece of its own. Adjacent known text is joined.
 */
export function jsonPieces(value: unknown, sorted: boolean): JsonPiece[] {
  const out: JsonPiece[] = [];
  const text = (t: string): void => {
    const last = out[out.length - 1];
    if (typeof last === 'string') out[out.length - 1] = last + t;
    else out.push(t);
  };
  const walk = (v: unknown): void => {
    if (v instanceof SqlValue) {
      out.push(v);
    } else if (v === null || typeof v !== 'object') {
      text(JSON.stringify(v ?? null));
    } else if (Array.isArray(v)) {
      text('[');
      v.forEach((item, i) => {
        if (i > 0) text(',');
        walk(item);
      });
      text(']');
    } else {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, item]) => item !== undefined);
      if (sorted) entries.sort(byKey);
      text('{');
      entries.forEach(([k, item], i) => {
        text(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`);
        walk(item);
      });
      text('}');
    }
  };
  walk(value);
  return out;
}

/** The text of pieces that hold no `SqlValue`. */
export function knownText(pieces: readonly JsonPiece[]): string {
  return pieces.map((p) => {
    if (typeof p !== 'string') throw new Error('the JSON text has a value only the database knows');
    return p;
  }).join('');
}

/**
 * A SQL expression of type `text` writing `pieces`: known text as parameters
 * (`param` adds one and returns its placeholder), each `SqlValue` as its JSON.
 */
export function jsonTextSql(pieces: readonly JsonPiece[], param: (value: unknown) => string): string {
  if (pieces.length === 0) return "''::text";
  return pieces.map((p) => (typeof p === 'string' ? `${param(p)}::text` : `COALESCE(to_json(${p.expr})::text, 'null')`)).join(' || ');
}

/** Numbered parameters of one statement (`$1`, `$2`, …), starting after those it already has. */
export class Params {
  readonly values: unknown[];

  constructor(initial: readonly unknown[] = []) {
    this.values = [...initial];
  }

  /** Adds `value`; returns its placeholder. */
  add = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}
