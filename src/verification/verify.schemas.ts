import { IsIP, IsOptional, IsString } from 'class-validator';
import { refusalFor } from '../auth/permissions';
import type { ErrorCode } from '../errors';
import { BODY_NOT_JSON, CREDENTIALS, TIMESTAMP, errorResponses, example, ref } from '../http/schemas';
import { refusalOf } from '../validation';
import { SCOPES } from '../scopes';
import { REFUSAL_CODES, VERIFICATION_CODES } from './verify.codes';

/** Body of `POST /v1.0/accesskeys/verify`. Validation messages name the field, never echo the token. */
export class VerifyAccesskeyInput {
  @IsString()
  token!: string;

  /** The address the gateway's own caller came from (checked against the key's allowlist). */
  @IsOptional()
  @IsIP()
  client_ip?: string | null;
}

/** JSON Schemas of `POST /v1.0/accesskeys/verify` (documented with the key routes, under `accesskeys`). */
export const verifySchemas = [
  {
    $id: 'VerifyAccesskeyRequest',
    type: 'object',
    required: ['token'],
    properties: {
      token: { type: 'string', description: 'The token to verify, exactly as presented (no surrounding whitespace).', example: 'vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe' },
      client_ip: {
        type: 'string',
        description: "The IPv4 or IPv6 address the gateway's own caller came from; required for a key with an allowlist (without it: IP_NOT_ALLOWED).",
        example: '203.0.113.7',
      },
    },
  },
  {
    $id: 'AccesskeyVerification',
    description: 'Whether a token is good; the key\'s identity only when it is (`valid` true, `code` VALID).',
    type: 'object',
    additionalProperties: false,
    required: ['valid', 'code'],
    properties: {
      valid: { type: 'boolean' },
      code: { type: 'string', enum: [...VERIFICATION_CODES] },
      accesskey_id: { type: 'string', format: 'uuid' },
      customer_id: { type: 'string', format: 'uuid' },
      scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] } },
      tm_expire: TIMESTAMP,
      rate_limit: {
        type: ['object', 'null'],
        description: "The key's rate-limit window after this use (`reset`: seconds until it resets); null without a rate limit.",
        additionalProperties: false,
        required: ['limit', 'remaining', 'reset'],
        properties: { limit: { type: 'integer' }, remaining: { type: 'integer' }, reset: { type: 'integer' } },
      },
      credits_remaining: { type: ['integer', 'null'], description: 'Credits left after this use; null when the key has none.' },
      meta: { type: ['object', 'null'], additionalProperties: true, description: "The owner's free-form data on the key; null when none (or the key is not usable)." },
    },
  },
];

const REFUSED: ErrorCode[] = ['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'UNAVAILABLE', 'INTERNAL'];

export const verifyRouteSchema = {
  tags: ['accesskeys'],
  security: CREDENTIALS,
  operationId: 'verifyAccesskey',
  summary: "Verify any customer's token (needs the accesskeys:verify scope)",
  description:
    'Always 200 for a string `token`: `{"valid": true, "code": "VALID", "accesskey_id", "customer_id", "scopes", "tm_expire"}` ' +
    `or \`{"valid": false, "code": ${REFUSAL_CODES.map((c) => `"${c}"`).join(' | ')}}\`; ` +
    'every answer also has `rate_limit`, `credits_remaining` and `meta` (null when not applicable). Counts as a use of the key, against its usage policy. ' +
    'Callers without `accesskeys:verify` (a key scope, or a super admin agent) are answered 403.',
  body: ref('VerifyAccesskeyRequest'),
  response: {
    200: ref('AccesskeyVerification'),
    ...errorResponses(REFUSED, [
      example(refusalOf(VerifyAccesskeyInput, { token: 42 }), 'The token is not a string'),
      BODY_NOT_JSON,
      example(refusalFor('accesskeys:verify'), 'Neither a super admin nor a key with accesskeys:verify'),
    ]),
  },
};
