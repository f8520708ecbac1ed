import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator';
import { requireCaller } from '../auth/rest-auth';
import { originOf } from '../http/origin';
import { parseInput } from '../validation';
import { VerifyAccesskeyInput, verifyRouteSchema } from './verify.schemas';
import type { VerifyService } from './verify.service';

export interface VerifyRoutesOptions {
  readonly service: VerifyService;
  readonly authenticator: Authenticator;
}

/** `POST /v1.0/accesskeys/verify`: the one REST path added to the frozen /v1.0 set. */
export async function verifyRoutes(app: FastifyInstance, { service, authenticator }: VerifyRoutesOptions) {
  requireCaller(app, authenticator, 'accesskeys:verify');
  app.post('/accesskeys/verify', { schema: verifyRouteSchema }, async (request) => {
    const { token, client_ip: clientIp } = await parseInput(VerifyAccesskeyInput, request.body);
    const v = await service.verify(token, originOf(request), clientIp ?? null);
    const limits = {
      rate_limit: v.rateLimit && { limit: v.rateLimit.limit, remaining: v.rateLimit.remaining, reset: v.rateLimit.resetSeconds },
      credits_remaining: v.creditsRemaining,
      meta: v.meta,
    };
    // Exactly the documented fields, in the documented order.
    return v.valid
      ? { valid: true, code: v.code, accesskey_id: v.accesskeyId, customer_id: v.customerId, scopes: v.scopes, tm_expire: v.tmExpire.toISOString(), ...limits }
      : { valid: false, code: v.code, ...limits };
  });
}
