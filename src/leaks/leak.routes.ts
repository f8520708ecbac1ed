import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { originOf } from '../http/origin';
import type { LeakSignatures } from './leak.keys';
import { LEAK_REPORT_LIMITS, leakReportsDisabled, parseLeakReport, signatureInvalid, signatureRequired } from './leak.report';
import { leakRouteSchema } from './leak.schemas';
import type { LeakService } from './leak.service';

export interface LeakRoutesOptions {
  readonly service: LeakService;
  readonly signatures: LeakSignatures;
}

const header = (request: FastifyRequest, name: string): string | null => {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
};

/**
 * `POST /v1.0/accesskeys/leaks`, in a scope of its own: its body is kept as
 * raw bytes (whatever the content type) because the signature covers exactly
 * those bytes; it is parsed as JSON only once the signature holds.
 */
export async function leakRoutes(app: FastifyInstance, { service, signatures }: LeakRoutesOptions) {
  const bodyLimit = LEAK_REPORT_LIMITS.bodyBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  app.post('/accesskeys/leaks', { schema: leakRouteSchema, bodyLimit }, async (request) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!signatures.enabled) throw leakReportsDisabled();
    const identifier = header(request, 'github-public-key-identifier');
    const signature = header(request, 'github-public-key-signature');
    if (identifier === null || signature === null) {
      throw signatureRequired();
    }
    if (!signatures.verify(identifier, signature, body)) throw signatureInvalid();
    const verdicts = await service.report(parseLeakReport(body), {
      digest: createHash('sha256').update(body).digest('hex'),
      origin: originOf(request),
    });
    const leaked = verdicts.flatMap((v) => (v.accesskeyId && !v.repeated ? [v.accesskeyId] : []));
    const repeated = verdicts.flatMap((v) => (v.accesskeyId && v.repeated ? [v.accesskeyId] : []));
    request.log[leaked.length > 0 ? 'warn' : 'info']({ matches: verdicts.length, leakedAccesskeys: leaked, alreadyReported: repeated }, 'leak report received');
    return verdicts.map((v) => ({ token_hash: v.tokenHash, token_type: v.tokenType, label: v.label }));
  });
}
