import type { FastifyInstance } from 'fastify';
import { LoginInput } from '../agents/agent.inputs';
import { originOf } from '../http/origin';
import { parseInput } from '../validation';
import { extractCredentials } from './credentials';
import { loginSchema, logoutSchema } from './login.schemas';
import type { LoginService } from './login.service';

export interface LoginRoutesOptions {
  readonly login: LoginService;
  readonly sessionTtlSeconds: number;
  readonly cookieSecure: boolean;
}

/** `POST /auth/login` (no credential needed) and `POST /auth/logout`. */
export async function loginRoutes(app: FastifyInstance, { login, sessionTtlSeconds, cookieSecure }: LoginRoutesOptions) {
  const cookie = { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: cookieSecure };

  app.post('/auth/login', { schema: loginSchema }, async (request, reply) => {
    const input = await parseInput(LoginInput, request.body);
    const { agent, token } = await login.login(input, originOf(request));
    reply.header('Cache-Control', 'no-store');
    reply.setCookie('token', token, { ...cookie, maxAge: sessionTtlSeconds });
    return { username: agent.username, token };
  });

  app.post('/auth/logout', { schema: logoutSchema }, async (request, reply) => {
    await login.logout(extractCredentials(request).session, originOf(request));
    reply.clearCookie('token', cookie);
    return {};
  });
}
