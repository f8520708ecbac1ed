import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { isAppError } from '../errors';
import type { ErrorCode } from '../errors';
import type { GraphQLContext } from './context';

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
    case 'UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
    case 'INTERNAL':
      return 'INTERNAL_SERVER_ERROR';
  }
}

/**
 * Is this error a bug? Domain errors are not, nor are the errors graphql-js and
 * Apollo raise about the request itself (syntax, validation, variable coercion):
 * those carry no original error, or a code Apollo gave them.
 */
function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (isAppError(original)) return false;
  if (!(error instanceof GraphQLError)) return true;
  const code = error.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return false;
  return error.originalError !== undefined;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isAppError(original)) {
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
  return { ...formatted, extensions };
}

/**
 * Answers HTTP 401 when an operation was refused for lack of valid credentials,
 * and logs unexpected errors with the request id before they are masked.
 */
export function errorPlugin(log: FastifyBaseLogger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isUnexpected(error)) {
              log.error({ err: unwrapResolverError(error), reqId: contextValue.requestId }, 'unexpected GraphQL error');
            }
          }
        },
        async willSendResponse({ response, errors }) {
          const unauthenticated = errors?.some((e) => {
            const original = unwrapResolverError(e);
            return isAppError(original) && original.code === 'UNAUTHENTICATED';
          });
          if (unauthenticated) response.http.status = 401;
        },
      };
    },
  };
}
