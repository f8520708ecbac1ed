import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { LoginInput } from '../agents/agent.inputs';
import { ERROR_RESPONSES, ref } from '../http/schemas';

export const authSchemas = [
  { $id: 'LoginRequest', ...targetConstructorToSchema(LoginInput), example: { username: 'alice', password: 'correct horse battery staple' } },
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
  summary: 'Log in and get a session token',
  description: 'A wrong username and a wrong password get the same 400. Repeated failures get 429 with `Retry-After`.',
  security: [],
  body: ref('LoginRequest'),
  response: { 200: ref('LoginResponse'), ...ERROR_RESPONSES },
};

export const logoutSchema = {
  tags: ['auth'],
  summary: 'End the sessions and forget the session cookie',
  description:
    'With a valid session token (cookie, `Authorization: Bearer` or `token` parameter), ends every session of its agent. ' +
    'Without one, or with an unusable one, only clears the cookie. Always 200.',
  security: [{}, { sessionCookie: [] }, { bearer: [] }, { sessionQuery: [] }] as Array<Record<string, string[]>>,
  response: { 200: { type: 'object', additionalProperties: false, properties: {} } },
};
