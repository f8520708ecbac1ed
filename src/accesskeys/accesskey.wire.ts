import { NOT_YET_OCCURRED } from '../time';
import type { Accesskey } from '../keys/accesskey.entity';

/** The documented REST shape, fields in the documented order; `token` only when given (create). */
export function toWire(key: Accesskey, token?: string) {
  return {
    id: key.id,
    customer_id: key.customerId,
    name: key.name,
    detail: key.detail,
    ...(token === undefined ? {} : { token }),
    token_prefix: key.tokenPrefix,
    tm_expire: key.tmExpire.toISOString(),
    tm_create: key.tmCreate.toISOString(),
    tm_update: key.tmUpdate.toISOString(),
    tm_delete: key.tmDelete ? key.tmDelete.toISOString() : NOT_YET_OCCURRED,
  };
}

export type WireAccesskey = ReturnType<typeof toWire>;
