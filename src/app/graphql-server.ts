import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { DatabaseHealth } from '../db/health';
import type { GraphQLConfig } from '../config';
import { graphQLContextFactory } from '../graphql/context';
import type { AuthenticateRequest, GraphQLContext } from '../graphql/context';
import { errorFormatter, errorPlugin } from '../graphql/errors';
import { queryCostPlugin, queryLimitsRule } from '../graphql/limits';
import { knownOperationTypesRule } from '../graphql/operation-types';
import { playgroundAssets, playgroundLandingPage } from '../graphql/playground';

export interface GraphQLOptions {
  /** Serve GraphiQL to browsers. */
  readonly playground: boolean;
  /** Introspection and limits. */
  readonly graphql: GraphQLConfig;
}

/**
 * Apollo's CSRF guard lets a GET (or a form-encoded POST) through only when it
 * carries a header a browser would have to preflight. `Authorization` is one:
 * a cross-site page cannot attach it without the preflight this server never
 * grants, so a GET carrying it is no forgery. A GET sent with only the session
 * cookie stays refused.
 */
const CSRF_PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'];

/**
 * Every GraphQL answer is `Cache-Control: no-store`: answers are per caller, and
 * `createAccesskey` carries a token (what Apollo's cache-control plugin computed, field by field).
 */
const noStorePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** Mounts Apollo Server at `/graphql` on the Fastify instance, with the GraphiQL playground for browsers unless `playground` is false. */
export async function registerGraphQL(
  app: FastifyInstance,
  schema: GraphQLSchema,
  authenticate: AuthenticateRequest,
  health: DatabaseHealth,
  options: GraphQLOptions,
): Promise<ApolloServer<GraphQLContext>> {
  const { playground } = options;
  const { introspection, limits } = options.graphql;
  if (playground) await playgroundAssets(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection,
    // Counted by the lexer, so an oversized document is refused before it is ever a tree.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [knownOperationTypesRule, queryLimitsRule(limits)],
    csrfPrevention: { requestHeaders: CSRF_PREFLIGHT_HEADERS },
    includeStacktraceInErrorResponses: false,
    formatError: errorFormatter({ suggestions: introspection }),
    // main.ts owns the signals and the grace period. Apollo's own handler would close the app a
    // second time, with its fixed 10 s drain, and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's defaults that buy nothing here: per-field cache-hint bookkeeping (no field has a hint,
      // every answer is no-store: see noStorePlugin), federation traces, and reporting to Apollo's
      // cloud, which APOLLO_KEY in the environment would switch on (nothing is sent anywhere).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      noStorePlugin,
      queryCostPlugin(limits),
      errorPlugin(app.log, health),
      // Without a landing-page plugin Apollo would install its default one, which loads from a CDN.
      playground ? playgroundLandingPage() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });
  await app.register(fastifyApollo(apollo), { context: graphQLContextFactory(authenticate) });
  return apollo;
}
