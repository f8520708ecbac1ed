import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import type { DatabaseHealth } from '../db/health';
import { isUnavailable } from '../db/errors';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, databaseUnavailable, isAppError } from '../errors';
import type { AppError, ErrorCode } from '../errors';
import type { GraphQLContext } from './context';
import { limitExtensions, limitMessage } from './limits';

/** The GraphQL edge's one mapping from domain code to `extensions.code`. */
export function graphQLCodeFor(code: ErrorCode): string {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return 'BAD_USER_INPUT';
    case 'UNAUTHENTICATED':
      return 'UNAUTHENTICATED';
    case 'PERMISSION_DENIED':
      return 'FORBIDDEN';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'FAILED_PRECONDITION':
      return 'FAILED_PRECONDITION';
    case 'RESOURCE_EXHAUSTED':
      return 'RESOURCE_EXHAUSTED';
    case 'DEADLINE_EXCEEDED':
      return 'DEADLINE_EXCEEDED';
    case 'UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
    case 'INTERNAL':
      return 'INTERNAL_SERVER_ERROR';
  }
}

/** The domain error behind a GraphQL error, a database that did not answer in time counting as `UNAVAILABLE`. */
function domainError(error: unknown): AppError | null {
  const original = unwrapResolverError(error);
  if (isAppError(original)) return original;
  return isUnavailable(original) ? databaseUnavailable() : null;
}

/**
 * Is this error a bug? Domain errors are not, nor an unreachable database, nor the errors graphql-js and
 * Apollo raise about the request itself (syntax, validation, variable coercion):
 * those carry no original error, or a code Apollo gave them.
 */
function isUnexpected(error: unknown): boolean {
  if (domainError(error)) return false;
  if (!(error instanceof GraphQLError)) return true;
  const code = error.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return false;
  return error.originalError !== undefined;
}

const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;
const SUGGESTION = / ?Did you mean .+?\?(?=$|;|\n)/g;

/**
 * A limit rejection (limits.ts) or graphql-js's token limit is the client's
 * doing: `BAD_USER_INPUT`, HTTP 400, a message naming the limit and
 * `extensions.limit` naming its variable.
 */
function asLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | undefined {
  const extensions = formatted.extensions ?? {};
  if (typeof extensions.limit === 'string') {
    const { code: _validationFailed, ...rest } = extensions;
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT', ...rest } };
  }
  const tokens = extensions.code === 'GRAPHQL_PARSE_FAILED' ? TOKEN_LIMIT.exec(formatted.message) : null;
  if (!tokens) return undefined;
  return {
    message: limitMessage('maxTokens', Number(tokens[1])),
    locations: formatted.locations,
    extensions: { code: 'BAD_USER_INPUT', ...limitExtensions('maxTokens') },
  };
}

export interface ErrorFormatOptions {
  /** Keep graphql-js's "Did you mean …?" hints; they reveal the schema, so they follow introspection. */
  readonly suggestions: boolean;
}

/** Apollo's `formatError`: domain codes mapped, limits named, unknown errors masked, no stack traces. */
export function errorFormatter({ suggestions }: ErrorFormatOptions) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = domainError(error);
    if (original) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code: graphQLCodeFor(original.code),
          reason: original.reason,
          ...(original.field ? { field: original.field } : {}),
        },
      };
    }
    if (isUnexpected(error)) {
      return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    const clean = { ...formatted, extensions };
    const answer = asLimitError(clean) ?? clean;
    return suggestions ? answer : { ...answer, message: answer.message.replace(SUGGESTION, '') };
  };
}

/** Nothing was served: no data, or only `null` for every root field. */
function servedNothing(data: Record<string, unknown> | null | undefined): boolean {
  return !data || Object.values(data).every((value) => value === null);
}

/**
 * Answers HTTP 401 when an operation was refused for lack of valid credentials,
 * and 503 with `Retry-After` when the database did not answer and nothing could
 * be served (`Retry-After` alone when part of the data was). Logs unexpected
 * errors with the request id before they are masked; an unreachable database
 * goes to `health`, which logs it at most once in a while.
 */
export function errorPlugin(log: FastifyBaseLogger, health: DatabaseHealth): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          let unavailableSeen = false;
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (!unavailableSeen && !isAppError(original) && isUnavailable(original)) {
              unavailableSeen = true;
              health.unavailable(original, contextValue.requestId);
            } else if (isUnexpected(error)) {
              log.error({ err: original, reqId: contextValue.requestId }, 'unexpected GraphQL error');
            }
          }
        },
        async willSendResponse({ response, errors }) {
          const codes = new Set((errors ?? []).map((e) => domainError(e)?.code));
          if (codes.has('UNAUTHENTICATED')) response.http.status = 401;
          else if (codes.has('UNAVAILABLE')) {
            response.http.headers.set('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
            const body = response.body;
            if (body.kind === 'single' && servedNothing(body.singleResult.data)) response.http.status = 503;
          }
        },
      };
    },
  };
}
