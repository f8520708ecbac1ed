import { IsString } from 'class-validator';
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
}

/** JSON Schemas of `POST /v1.0/accesskeys/verify` (documented with the key routes, under `accesskeys`). */
export const verifySchemas = [
  {
    $id: 'VerifyAccesskeyRequest',
    type: 'object',
    required: ['token'],
    properties: { token: { type: 'string', description: 'The token to verify, exactly as presented (no surrounding whitespace).', example: 'vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe' } },
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
    `or \`{"valid": false, "code": ${REFUSAL_CODES.map((c) => `"${c}"`).join(' | ')}}\`. Counts as a use of the key. ` +
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
