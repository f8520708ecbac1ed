import { noOrigin, type RequestContext } from '../context';
import type { Attribution } from './audit.types';

/** Who acted and from where, as the audit trail records a request's change. */
export function attributionOf(ctx: RequestContext): Attribution {
  const { caller } = ctx;
  const actor =
    caller.kind === 'agent'
      ? { kind: 'agent' as const, id: caller.agentId, name: caller.username, tokenHash: caller.credentialHash }
      : { kind: 'accesskey' as const, id: caller.accesskeyId, name: caller.tokenPrefix, tokenHash: caller.credentialHash };
  return {
    actor,
    origin: ctx.origin ?? noOrigin(ctx.requestId),
  };
}
