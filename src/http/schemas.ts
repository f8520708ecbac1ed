import { errorCodes } from 'fastify';
import { ERROR_CODES, RateLimitedError, authenticationRequired, databaseUnavailable, invalidCredentials, notFound, permissionDenied } from '../errors';
import type { AppError, ErrorCode } from '../errors';
import { DEADLINE_EXCEEDED } from './client-errors';
import { INTERNAL, bodyRefusal, httpStatusFor, routeNotFound } from './errors';

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

export interface ErrorExample {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly message: string;
  readonly summary: string;
}

/**
 * An example of a refusal: `error` is built by the code that refuses (the same
 * constructor or rule), so the document shows the real answer.
 */
export const example = (error: AppError, summary: string): ErrorExample => ({ code: error.code, reason: error.reason, message: error.message, summary });

/** What a body that is not JSON is answered (Fastify's own refusal, mapped by the REST edge). */
export const BODY_NOT_JSON = example(bodyRefusal(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()), 'The body is not JSON');
/** What a body over the route's limit is answered. */
export const BODY_TOO_LARGE = (summary: string) => example(bodyRefusal(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()), summary);

/**
 * What each code means to a client, with the answers it is given (every code has at least one).
 * Routes give their own examples where theirs differ (a field rule, a permission's wording).
 */
const ERRORS: Record<ErrorCode, { readonly description: string; readonly examples: readonly ErrorExample[] }> = {
  INVALID_ARGUMENT: {
    description: 'The request is invalid: the message starts with the field at fault (`body` for unreadable JSON).',
    examples: [BODY_NOT_JSON],
  },
  UNAUTHENTICATED: {
    description: 'No credential, or one that is unknown, expired, deleted or malformed.',
    examples: [example(authenticationRequired(), 'No credential'), example(invalidCredentials(), 'A credential that does not work')],
  },
  PERMISSION_DENIED: {
    description: 'The caller is authenticated but may not manage access keys (a customer agent or manager).',
    examples: [example(permissionDenied('The caller may not do this.'), 'Not allowed')],
  },
  NOT_FOUND: {
    description: "No such key, or another customer's key (the two are not told apart).",
    examples: [example(notFound('The access key'), 'Unknown id')],
  },
  FAILED_PRECONDITION: {
    description: 'The key has been deleted.',
    examples: [],
  },
  RESOURCE_EXHAUSTED: {
    description: 'Too many failed attempts; `Retry-After` says when to try again.',
    examples: [example(new RateLimitedError(1), 'Rate limited')],
  },
  DEADLINE_EXCEEDED: {
    description: 'The client did not send its whole request (headers and body) within the server\'s request timeout; the connection is closed.',
    examples: [example(DEADLINE_EXCEEDED, 'A stalled request')],
  },
  UNAVAILABLE: {
    description: 'The database did not answer in time; retrying later may succeed.',
    examples: [example(databaseUnavailable(), 'Database unavailable')],
  },
  INTERNAL: {
    description: 'An unexpected error; details are only in the server log, under the request id.',
    examples: [example(INTERNAL, 'Internal error')],
  },
};

const EXAMPLE_REQUEST_ID = '520ed161-f01d-4eaf-9222-276ee63ddd8e';

/** One code's error media: the envelope's schema (`schema`: as a route refers to it, or a document-level reference) and the examples. */
function errorMedia(code: ErrorCode, examples: readonly ErrorExample[], schema: object = ref('ErrorEnvelope')) {
  const stray = examples.find((e) => e.code !== code);
  if (stray) throw new Error(`an example of ${stray.code} (${stray.reason}) documented under ${code}`);
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
export function errorResponses(codes: readonly ErrorCode[], specific: readonly ErrorExample[] = []) {
  const undocumented = specific.find((e) => !codes.includes(e.code));
  if (undocumented) throw new Error(`an example of ${undocumented.code} (${undocumented.reason}) for a route that does not answer it`);
  return Object.fromEntries(
    codes.map((code) => {
      const own = specific.filter((e) => e.code === code);
      const examples = own.length > 0 ? own : ERRORS[code].examples;
      if (examples.length === 0) throw new Error(`no example of ${code}`);
      const { description } = ERRORS[code];
      const headers = code === 'RESOURCE_EXHAUSTED' ? { 'Retry-After': { type: 'integer', description: 'Seconds to wait before trying again.' } } : undefined;
      return [httpStatusFor(code), { description, ...(headers ? { headers } : {}), content: { 'application/json': errorMedia(code, examples) } }];
    }),
  );
}

/**
 * `components.responses.RouteNotFound`: what any path the document does not list (or a listed path
 * with a method it does not list) is answered. OpenAPI 3.0 has no place for "every other path", so
 * the answer is a named response of the document, with the status it comes with.
 */
export function routeNotFoundResponse() {
  const refusal = routeNotFound('GET', '/v1.0/no-such-path');
  return {
    RouteNotFound: {
      description:
        `HTTP ${httpStatusFor(refusal.code)}: the answer to a path this document does not list, or to a method a listed path does not have ` +
        '(reason `ROUTE_NOT_FOUND`; the message names the method and path).',
      content: {
        'application/json': errorMedia(refusal.code, [example(refusal, 'No such route')], {
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
