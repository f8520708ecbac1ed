import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import type { DatabaseHealth } from '../db/health';
import { unavailable } from '../errors';
import { errorResponses } from './schemas';

const READY_TIMEOUT_MS = 2000;
const statusSchema = (value: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: [value] } },
});

/**
 * Liveness (`/healthz`, no I/O) and readiness (`/readyz`: the API's own recent
 * queries got answers, its pool hands out connections, and `SELECT 1` answers
 * within 2 s); no credentials.
 */
export function registerHealthRoutes(app: FastifyInstance, database: Database, health: DatabaseHealth): void {
  app.get('/healthz', { schema: { tags: ['operations'], operationId: 'checkLiveness', summary: 'The process is up (no database work)', security: [], response: { 200: statusSchema('ok'), ...errorResponses(['INTERNAL']) } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        operationId: 'checkReadiness',
        summary: 'The server can serve: its database answers',
        description: `503 when the API's own recent queries failed, the connection pool is exhausted, or the database does not answer within ${READY_TIMEOUT_MS} ms.`,
        security: [],
        response: { 200: statusSchema('ready'), ...errorResponses(['UNAVAILABLE', 'INTERNAL']) },
      },
    },
    async (request) => {
      const problem = health.problem();
      if (problem === 'QUERIES_FAILING') throw unavailable(problem, 'Recent database queries did not get an answer in time.');
      if (problem === 'POOL_EXHAUSTED') throw unavailable(problem, 'Every database connection is taken and requests are waiting for one.');
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
        health.unavailable(err, request.id);
        throw unavailable('DATABASE_NOT_ANSWERING', 'The database is not answering.');
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
