import { GraphQLError } from 'graphql';
import type { ValidationRule } from 'graphql';

/**
 * Refuses, while validating, an operation of a kind the schema does not serve
 * (subscriptions here), as graphql-js 17's `KnownOperationTypesRule` does: it is
 * the client's error, answered 400 `GRAPHQL_VALIDATION_FAILED`. graphql-js 16
 * notices only when executing, which Apollo answers 200 `INTERNAL_SERVER_ERROR`.
 */
export const knownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`This server serves no ${node.operation} operations.`, { nodes: node }));
  },
});
