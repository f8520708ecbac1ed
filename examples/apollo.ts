import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client/core';
import type { NormalizedCacheObject } from '@apollo/client/core';
import { CreateAccesskeyDocument, DeleteAccesskeyDocument, ListAccesskeysDocument, RenameAccesskeyDocument } from './generated/graphql/graphql';

/** An Apollo Client for this server: every request carries the credential as `Authorization: Bearer`. */
export function createApolloClient(baseUrl: string, credential: string): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({
    link: new HttpLink({ uri: `${baseUrl}/graphql`, headers: { Authorization: `Bearer ${credential}` } }),
    cache: new InMemoryCache(),
  });
}

/**
 * Creates a key, finds it in the list, renames it and deletes it, with the typed documents generated
 * from examples/graphql/accesskeys.graphql: every variable and result below is checked by the compiler.
 */
export async function apolloExample(client: ApolloClient<NormalizedCacheObject>) {
  const created = await client.mutate({ mutation: CreateAccesskeyDocument, variables: { input: { name: 'from Apollo', expire: 86400 } } });
  const { token, accesskey } = created.data!.createAccesskey;

  const listed = await client.query({ query: ListAccesskeysDocument, variables: { first: 10 }, fetchPolicy: 'network-only' });
  const names: string[] = listed.data.accesskeys.nodes.map((node) => node.name);

  const renamed = await client.mutate({ mutation: RenameAccesskeyDocument, variables: { id: accesskey.id, name: 'renamed by Apollo' } });
  const deleted = await client.mutate({ mutation: DeleteAccesskeyDocument, variables: { id: accesskey.id } });

  return { token, id: accesskey.id, names, renamedTo: renamed.data!.updateAccesskey.name, tmDelete: deleted.data!.deleteAccesskey.tmDelete };
}
