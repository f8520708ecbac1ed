import { LoginInput } from '../agents/agent.inputs';
import { errorResponses, example, ref } from '../http/schemas';
import { refusalOf, schemaOf } from '../validation';
import { loginFailed } from './login.service';

export const authSchemas = [
  { $id: 'LoginRequest', ...schemaOf(LoginInput), example: { username: 'alice', password: 'correct horse battery staple' } },
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
    ...errorResponses(['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL'], [
      example(loginFailed(), 'Wrong username or password'),
      example(refusalOf(LoginInput, { username: '', password: 'x' }), 'A field breaks its rule'),
    ]),
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
