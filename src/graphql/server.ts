import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../auth/authenticator';
import type { DatabaseHealth } from '../db/health';
import { graphQLContextFactory } from './context';
import type { GraphQLContext } from './context';
import { errorPlugin, formatError } from './errors';
import { playgroundAssets, playgroundLandingPage } from './playground';

/** Mounts Apollo Server at `/graphql` on the Fastify instance, with the GraphiQL playground for browsers unless `playground` is false. */
export async function registerGraphQL(
  app: FastifyInstance,
  schema: GraphQLSchema,
  authenticator: Authenticator,
  health: DatabaseHealth,
  playground = true,
): Promise<ApolloServer<GraphQLContext>> {
  if (playground) await playgroundAssets(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
    formatError,
    // main.ts owns the signals and the grace period. Apollo's own handler would close the app a
    // second time, with its fixed 10 s drain, and re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      errorPlugin(app.log, health),
      // Without a landing-page plugin Apollo would install its default one, which loads from a CDN.
      playground ? playgroundLandingPage() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  app.addHook('onClose', async () => {
    await apollo.stop();
  });
  await app.register(fastifyApollo(apollo), { context: graphQLContextFactory(authenticator) });
  return apollo;
}
