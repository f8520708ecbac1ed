import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { isAppError } from '../errors';
import type { ErrorCode } from '../errors';
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
    const clean = { ...formatted, extensions };
    const answer = asLimitError(clean) ?? clean;
    return suggestions ? answer : { ...answer, message: answer.message.replace(SUGGESTION, '') };
  };
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
