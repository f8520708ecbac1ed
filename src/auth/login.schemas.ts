import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { JSON_SCHEMA_CONVERTERS } from '../validation';
import { LoginInput } from '../agents/agent.inputs';
import { errorResponses, ref } from '../http/schemas';

export const authSchemas = [
  { $id: 'LoginRequest', ...targetConstructorToSchema(LoginInput, { additionalConverters: JSON_SCHEMA_CONVERTERS }), example: { username: 'alice', password: 'correct horse battery staple' } },
  {
    $id: 'LoginResponse',
    type: 'object',
    additionalProperties: false,
    required: ['username', 'token'],
    properties: {
      username: { type: 'string', example: 'alice' },
      token: { type: 'string', description: 'Session token (HS256 JWT); also set as the `token` cookie.', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ…' },
    },
  },
];

export const loginSchema = {
  tags: ['auth'],
  operationId: 'login',
  summary: 'Log in and get a session token',
  description:
    'A wrong username and a wrong password get the same 400 (`LOGIN_FAILED`), after the same work. ' +
    'Repeated failures, per username and per client address, get 429 with `Retry-After`. ' +
    'The token is also set as the `token` cookie (HttpOnly, SameSite=Strict); the answer is `Cache-Control: no-store`.',
  security: [],
  body: ref('LoginRequest'),
  response: {
    200: ref('LoginResponse'),
    ...errorResponses(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL'], {
      INVALID_ARGUMENT: [
        { reason: 'LOGIN_FAILED', message: 'username or password: incorrect username or password.', summary: 'Wrong username or password' },
        { reason: 'FIELD_INVALID', message: 'username: should not be empty', summary: 'A field breaks its rule' },
      ],
    }),
  },
};

export const logoutSchema = {
  tags: ['auth'],
  operationId: 'logout',
  summary: 'End the sessions and forget the session cookie',
  description:
    'With a valid session token (cookie, `Authorization: Bearer` or `token` parameter), ends every session of its agent. ' +
    'Without one, or with an unusable one, only clears the cookie. Always 200.',
  security: [{}, { sessionCookie: [] }, { bearer: [] }, { sessionQuery: [] }] as Array<Record<string, string[]>>,
  response: { 200: { type: 'object', additionalProperties: false, properties: {} }, ...errorResponses(['INTERNAL']) },
};
