import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { unavailable } from '../errors';
import { errorResponses } from './schemas';

const READY_TIMEOUT_MS = 2000;
const statusSchema = (value: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: [value] } },
});

/** Liveness (`/healthz`, no I/O) and readiness (`/readyz`, the database answers); no credentials. */
export function registerHealthRoutes(app: FastifyInstance, database: Database): void {
  app.get('/healthz', { schema: { tags: ['operations'], operationId: 'checkLiveness', summary: 'The process is up (no database work)', security: [], response: { 200: statusSchema('ok'), ...errorResponses(['INTERNAL']) } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        operationId: 'checkReadiness',
        summary: 'The database answers',
        description: `503 when the database does not answer within ${READY_TIMEOUT_MS} ms.`,
        security: [],
        response: { 200: statusSchema('ready'), ...errorResponses(['UNAVAILABLE', 'INTERNAL']) },
      },
    },
    async (request) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          database.dataSource.query('SELECT 1'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
          }),
        ]);
        return { status: 'ready' };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw unavailable('The database is not answering.');
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
