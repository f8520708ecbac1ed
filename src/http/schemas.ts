/** Schemas and security requirements shared by every documented route. */
export const ref = (id: string) => ({ $ref: `${id}#` });

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
          enum: ['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'NOT_FOUND', 'FAILED_PRECONDITION', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL'],
        },
        reason: { type: 'string', example: 'INVALID_CREDENTIALS' },
        message: { type: 'string', example: 'The credentials are invalid.' },
        request_id: { type: 'string', example: '520ed161-f01d-4eaf-9222-276ee63ddd8e' },
      },
    },
  },
};

export const ERROR_RESPONSES = {
  '4xx': { description: 'Refused: see `error.status` and `error.reason`.', ...ref('ErrorEnvelope') },
  '5xx': { description: 'Unavailable or internal error.', ...ref('ErrorEnvelope') },
};

/** Either credential, in either location (OpenAPI: alternatives). */
export const CREDENTIALS: Array<Record<string, string[]>> = [{ accesskeyQuery: [] }, { bearer: [] }, { sessionQuery: [] }, { sessionCookie: [] }];

export const securitySchemes = {
  accesskeyQuery: { type: 'apiKey', in: 'query', name: 'accesskey', description: 'An access key (`vb_…`).' },
  bearer: { type: 'http', scheme: 'bearer', description: 'An access key (`vb_…`) or a session token from `POST /auth/login`.' },
  sessionQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'A session token from `POST /auth/login`.' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: 'token', description: 'The session cookie set by `POST /auth/login`.' },
} as const;
