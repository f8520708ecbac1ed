import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { CREDENTIALS, ERROR_RESPONSES, ref } from '../http/schemas';
import { CreateAccesskeyInput, UpdateAccesskeyInput } from './accesskey.inputs';

/**
 * JSON Schemas of the `/v1.0/accesskeys` wire format. Responses are serialised
 * with them (fast-json-stringify) and `/v1.0/openapi.json` is generated from
 * them. Request bodies are described from the class-validator rules that
 * actually validate them, so the description cannot drift from the checks.
 */
const TIMESTAMP = { type: 'string', format: 'date-time', example: '2027-04-28T01:41:40.503790Z' };

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
  { $id: 'CreateAccesskeyRequest', ...targetConstructorToSchema(CreateAccesskeyInput) },
  { $id: 'UpdateAccesskeyRequest', ...targetConstructorToSchema(UpdateAccesskeyInput) },
];

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } };
const common = { tags: ['accesskeys'], security: CREDENTIALS };

export const routeSchemas = {
  create: { ...common, summary: 'Create an access key', body: ref('CreateAccesskeyRequest'), response: { 200: ref('CreatedAccesskey'), ...ERROR_RESPONSES } },
  list: {
    ...common,
    summary: "List the caller's live access keys, newest first",
    querystring: {
      type: 'object',
      properties: {
        page_size: { type: 'integer', minimum: 0, description: '1–100; 0 or more than 100 mean 100 (the default).' },
        page_token: { type: 'string', description: '`next_page_token` of the previous page, or a timestamp: "created before this time".' },
      },
    },
    response: { 200: ref('AccesskeyList'), ...ERROR_RESPONSES },
  },
  get: { ...common, summary: 'Get an access key', params: idParams, response: { 200: ref('Accesskey'), ...ERROR_RESPONSES } },
  update: {
    ...common,
    summary: 'Replace the name and detail of an access key',
    params: idParams,
    body: ref('UpdateAccesskeyRequest'),
    response: { 200: ref('Accesskey'), ...ERROR_RESPONSES },
  },
  delete: { ...common, summary: 'Delete an access key (it stops authenticating at once)', params: idParams, response: { 200: ref('Accesskey'), ...ERROR_RESPONSES } },
};
