import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { CreateAccesskeyDocument, GetAccesskeyDocument, ListAccesskeysDocument, MeDocument } from './generated/graphql/graphql';

/**
 * An urql client with its defaults: queries are sent as GET (`preferGetMethod: 'within-url-limit'`),
 * which the server accepts because the request carries an `Authorization` header (Apollo's CSRF
 * prevention asks for a header a browser form cannot send); mutations are POSTed.
 */
export function createUrqlClient(baseUrl: string, credential: string): Client {
  return new Client({
    url: `${baseUrl}/graphql`,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${credential}` } }),
  });
}

/** Who am I, create a key, read it back and page through the list, with typed documents. */
export async function urqlExample(client: Client) {
  const me = await client.query(MeDocument, {}).toPromise();
  if (me.error) throw me.error;

  const created = await client.mutation(CreateAccesskeyDocument, { input: { name: 'from urql', detail: 'typed', expire: 86400 } }).toPromise();
  if (created.error) throw created.error;
  const { id } = created.data!.createAccesskey.accesskey;

  const one = await client.query(GetAccesskeyDocument, { id }).toPromise();
  if (one.error) throw one.error;

  // One key per page, following `endCursor` until `hasNextPage` is false.
  const ids: string[] = [];
  let after: string | null | undefined;
  for (;;) {
    const page = await client.query(ListAccesskeysDocument, { first: 1, after }, { requestPolicy: 'network-only' }).toPromise();
    if (page.error) throw page.error;
    ids.push(...page.data!.accesskeys.nodes.map((node) => node.id));
    if (!page.data!.accesskeys.pageInfo.hasNextPage) break;
    after = page.data!.accesskeys.pageInfo.endCursor;
  }

  return { kind: me.data!.me.kind, id, detail: one.data!.accesskey?.detail, ids };
}
