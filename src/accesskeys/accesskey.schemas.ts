import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { JSON_SCHEMA_CONVERTERS } from '../validation';
import type { ErrorCode } from '../errors';
import { CREDENTIALS, TIMESTAMP, errorResponses, ref } from '../http/schemas';
import { CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';

/**
 * JSON Schemas of the `/v1.0/accesskeys` wire format. Responses are serialised
 * with them (fast-json-stringify) and `/v1.0/openapi.json` is generated from
 * them. Request bodies are described from the class-validator rules that
 * actually validate them, so the description cannot drift from the checks.
 */
const keyProperties = (withToken: boolean) => ({
  id: { type: 'string', format: 'uuid', example: '5f1f8f7e-9b3d-4c60-8465-b69e9f28b6db' },
  customer_id: { type: 'string', format: 'uuid', example: 'a1d9b2cd-4578-4b23-91b6-5f5ec4a2f840' },
  name: { type: 'string', example: 'My API Key' },
  detail: { type: 'string', example: 'For accessing reporting APIs' },
  ...(withToken
    ? { token: { type: 'string', pattern: '^vb_[0-9A-Za-z]{32}$', description: 'The full token. Shown only in this response.', example: 'vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe' } }
    : {}),
  token_prefix: { type: 'string', example: 'vb_a3Bf9xKm' },
  tm_expire: TIMESTAMP,
  tm_create: TIMESTAMP,
  tm_update: TIMESTAMP,
  tm_delete: { ...TIMESTAMP, description: '`9999-01-01T00:00:00.000000Z` while the key is live.', example: '9999-01-01T00:00:00.000000Z' },
});

export const accesskeySchemas = [
  { $id: 'Accesskey', type: 'object', additionalProperties: false, required: Object.keys(keyProperties(false)), properties: keyProperties(false) },
  {
    $id: 'CreatedAccesskey',
    description: 'A new key with its token: the only time the token is shown.',
    type: 'object',
    additionalProperties: false,
    required: Object.keys(keyProperties(true)),
    properties: keyProperties(true),
  },
  {
    $id: 'AccesskeyList',
    type: 'object',
    additionalProperties: false,
    required: ['result', 'next_page_token'],
    properties: {
      result: { type: 'array', items: ref('Accesskey') },
      next_page_token: { type: 'string', nullable: true, description: 'Opaque; `null` on the last page.' },
    },
  },
  { $id: 'CreateAccesskeyRequest', ...targetConstructorToSchema(CreateAccesskeyInput, { additionalConverters: JSON_SCHEMA_CONVERTERS }) },
  { $id: 'UpdateAccesskeyRequest', ...targetConstructorToSchema(UpdateAccesskeyInput, { additionalConverters: JSON_SCHEMA_CONVERTERS }) },
];

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } };
const common = { tags: ['accesskeys'], security: CREDENTIALS };
const REFUSED: ErrorCode[] = ['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'UNAVAILABLE', 'INTERNAL'];
const ONE_KEY_REFUSED: ErrorCode[] = [...REFUSED, 'NOT_FOUND', 'FAILED_PRECONDITION'];
const unknownKey = [{ reason: 'NOT_FOUND', message: 'The access key was not found.', summary: 'Unknown id, or a key of another customer' }];
const badId = { reason: 'FIELD_INVALID', message: 'id: must be a UUID', summary: 'The id is not a UUID' };

export const routeSchemas = {
  create: {
    ...common,
    operationId: 'createAccesskey',
    summary: 'Create an access key',
    description:
      'Answers the new key with its `token`: the only time the token is shown (store it now). ' +
      '`expire` is in seconds from now (86400 to 2147483647); a key created with an access key expires no later than that key ' +
      '(`tm_expire` in the answer says when). Unknown body fields are ignored; `name` and `detail` default to `""`.',
    body: ref('CreateAccesskeyRequest'),
    response: { 200: ref('CreatedAccesskey'), ...errorResponses(REFUSED) },
  },
  list: {
    ...common,
    operationId: 'listAccesskeys',
    summary: "List the caller's live access keys, newest first",
    description:
      'Keys of the caller\'s customer that are not deleted, expired ones included, newest first. ' +
      '`next_page_token` is `null` on the last page (never an empty string); paging never skips or repeats a key.',
    querystring: {
      type: 'object',
      properties: {
        page_size: { type: 'integer', minimum: 0, description: '1–100; 0 or more than 100 mean 100 (the default).' },
        page_token: { type: 'string', description: '`next_page_token` of the previous page, or a timestamp such as `2026-12-01T10:15:30.123456Z`: "created before this time".' },
      },
    },
    response: {
      200: ref('AccesskeyList'),
      ...errorResponses(REFUSED, {
        INVALID_ARGUMENT: [{ reason: 'FIELD_INVALID', message: 'page_token: is not a valid page token', summary: 'A page token this server did not issue' }],
      }),
    },
  },
  get: {
    ...common,
    operationId: 'getAccesskey',
    summary: 'Get an access key',
    description: "Another customer's key is answered 404, like an unknown one; a deleted key is answered 409 (`STATE_INVALID`).",
    params: idParams,
    response: { 200: ref('Accesskey'), ...errorResponses(ONE_KEY_REFUSED, { NOT_FOUND: unknownKey, INVALID_ARGUMENT: [badId] }) },
  },
  update: {
    ...common,
    operationId: 'updateAccesskey',
    summary: 'Replace the name and detail of an access key',
    description: 'Both fields are replaced: a field left out becomes `""`. Unknown body fields are ignored. A deleted key is answered 409.',
    params: idParams,
    body: ref('UpdateAccesskeyRequest'),
    response: {
      200: ref('Accesskey'),
      ...errorResponses(ONE_KEY_REFUSED, {
        NOT_FOUND: unknownKey,
        INVALID_ARGUMENT: [{ reason: 'FIELD_INVALID', message: 'name: must be shorter than or equal to 255 characters', summary: 'A field breaks its rule' }, badId],
      }),
    },
  },
  delete: {
    ...common,
    operationId: 'deleteAccesskey',
    summary: 'Delete an access key (it stops authenticating at once)',
    description: 'Answers the deleted key, with `tm_delete` set. Deleting it again is answered 409 (`STATE_INVALID`).',
    params: idParams,
    response: { 200: ref('Accesskey'), ...errorResponses(ONE_KEY_REFUSED, { NOT_FOUND: unknownKey, INVALID_ARGUMENT: [badId] }) },
  },
};
