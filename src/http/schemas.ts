import { ERROR_CODES } from '../errors';
import type { ErrorCode } from '../errors';
import { httpStatusFor, routeNotFound } from './errors';

/** Schemas and security requirements shared by every documented route. */
export const ref = (id: string) => ({ $ref: `${id}#` });

/** An instant on the wire: RFC 3339 with microseconds, in UTC. */
export const TIMESTAMP = { type: 'string', format: 'date-time', example: '2027-04-28T01:41:40.503790Z' };

export const errorEnvelopeSchema = {
  $id: 'ErrorEnvelope',
  description: "The platform's error envelope.",
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'reason', 'message', 'request_id'],
      properties: {
        status: {
          type: 'string',
          enum: [...ERROR_CODES],
        },
        reason: { type: 'string', example: 'INVALID_CREDENTIALS' },
        message: { type: 'string', example: 'The credentials are invalid.' },
        request_id: { type: 'string', example: '520ed161-f01d-4eaf-9222-276ee63ddd8e' },
      },
    },
  },
};

interface ErrorExample {
  readonly reason: string;
  readonly message: string;
  readonly summary: string;
}

/** What each code means to a client, with the answers it is given (every code has at least one). */
const ERRORS: Record<ErrorCode, { readonly description: string; readonly examples: readonly ErrorExample[] }> = {
  INVALID_ARGUMENT: {
    description: 'The request is invalid: the message starts with the field at fault (`body` for unreadable JSON).',
    examples: [
      { reason: 'FIELD_INVALID', message: 'expire: must not be less than 86400', summary: 'A field breaks its rule' },
      { reason: 'BODY_INVALID', message: 'body: Body is not valid JSON but content-type is set to \'application/json\'', summary: 'The body is not JSON' },
    ],
  },
  UNAUTHENTICATED: {
    description: 'No credential, or one that is unknown, expired, deleted or malformed.',
    examples: [
      { reason: 'AUTHENTICATION_REQUIRED', message: 'Authentication is required.', summary: 'No credential' },
      { reason: 'INVALID_CREDENTIALS', message: 'The credentials are invalid.', summary: 'A credential that does not work' },
    ],
  },
  PERMISSION_DENIED: {
    description: 'The caller is authenticated but may not manage access keys (a customer agent or manager).',
    examples: [{ reason: 'PERMISSION_DENIED', message: 'Managing access keys needs the customer admin permission.', summary: 'Not a customer admin' }],
  },
  NOT_FOUND: {
    description: "No such key, or another customer's key (the two are not told apart).",
    examples: [{ reason: 'NOT_FOUND', message: 'The access key was not found.', summary: 'Unknown id' }],
  },
  FAILED_PRECONDITION: {
    description: 'The key has been deleted.',
    examples: [{ reason: 'STATE_INVALID', message: 'The access key has been deleted.', summary: 'A deleted key' }],
  },
  RESOURCE_EXHAUSTED: {
    description: 'Too many failed attempts; `Retry-After` says when to try again.',
    examples: [{ reason: 'TOO_MANY_ATTEMPTS', message: 'Too many failed attempts. Try again later.', summary: 'Rate limited' }],
  },
  DEADLINE_EXCEEDED: {
    description: 'The client did not send its whole request (headers and body) within the server\'s request timeout; the connection is closed.',
    examples: [{ reason: 'DEADLINE_EXCEEDED', message: 'The request did not arrive in time.', summary: 'A stalled request' }],
  },
  UNAVAILABLE: {
    description: 'The database did not answer in time; retrying later may succeed.',
    examples: [{ reason: 'UNAVAILABLE', message: 'The database is not answering.', summary: 'Database unavailable' }],
  },
  INTERNAL: {
    description: 'An unexpected error; details are only in the server log, under the request id.',
    examples: [{ reason: 'INTERNAL', message: 'An internal error occurred.', summary: 'Internal error' }],
  },
};

const EXAMPLE_REQUEST_ID = '520ed161-f01d-4eaf-9222-276ee63ddd8e';

/** One code's error media: the envelope's schema (`schema`: as a route refers to it, or a document-level reference) and the examples. */
function errorMedia(code: ErrorCode, examples: readonly ErrorExample[], schema: object = ref('ErrorEnvelope')) {
  return {
    schema,
    examples: Object.fromEntries(
      examples.map(({ reason, message, summary }) => [
        // Several fields of one route can be invalid: name those examples after the field too.
        reason === 'FIELD_INVALID' ? `${reason}.${message.split(':')[0]}` : reason,
        { summary, value: { error: { status: code, reason, message, request_id: EXAMPLE_REQUEST_ID } } },
      ]),
    ),
  };
}

/**
 * The error responses of a route: one per code it can answer, under the code's HTTP status, each
 * with the envelope's schema and an example of every reason. Route-specific examples replace the
 * generic ones for their code.
 */
export function errorResponses(codes: readonly ErrorCode[], specific: Partial<Record<ErrorCode, readonly ErrorExample[]>> = {}) {
  return Object.fromEntries(
    codes.map((code) => {
      const { description, examples } = ERRORS[code];
      const headers = code === 'RESOURCE_EXHAUSTED' ? { 'Retry-After': { type: 'integer', description: 'Seconds to wait before trying again.' } } : undefined;
      return [httpStatusFor(code), { description, ...(headers ? { headers } : {}), content: { 'application/json': errorMedia(code, specific[code] ?? examples) } }];
    }),
  );
}

/**
 * `components.responses.RouteNotFound`: what any path the document does not list (or a listed path
 * with a method it does not list) is answered. OpenAPI 3.0 has no place for "every other path", so
 * the answer is a named response of the document, with the status it comes with.
 */
export function routeNotFoundResponse() {
  const example = routeNotFound('GET', '/v1.0/no-such-path');
  return {
    RouteNotFound: {
      description:
        `HTTP ${httpStatusFor(example.code)}: the answer to a path this document does not list, or to a method a listed path does not have ` +
        '(reason `ROUTE_NOT_FOUND`; the message names the method and path).',
      content: {
        'application/json': errorMedia(example.code, [{ reason: example.reason, message: example.message, summary: 'No such route' }], {
          $ref: '#/components/schemas/ErrorEnvelope',
        }),
      },
    },
  };
}

/** Either credential, in either location (OpenAPI: alternatives). */
export const CREDENTIALS: Array<Record<string, string[]>> = [{ accesskeyQuery: [] }, { bearer: [] }, { sessionQuery: [] }, { sessionCookie: [] }];

export const securitySchemes = {
  accesskeyQuery: { type: 'apiKey', in: 'query', name: 'accesskey', description: 'An access key (`vb_…`).' },
  bearer: { type: 'http', scheme: 'bearer', description: 'An access key (`vb_…`) or a session token from `POST /auth/login`.' },
  sessionQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'A session token from `POST /auth/login`.' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: 'token', description: 'The session cookie set by `POST /auth/login`.' },
  leakSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Github-Public-Key-Signature',
    description:
      'Leak reports only: the base64 DER ECDSA P-256 / SHA-256 signature of the exact request body, by the public key that the ' +
      '`Github-Public-Key-Identifier` header names among those configured in `LEAK_REPORT_KEYS`. Not an access key.',
  },
} as const;

/** A signed leak report: the signature (with the identifier header naming its key). */
export const LEAK_SIGNATURE: Array<Record<string, string[]>> = [{ leakSignature: [] }];
