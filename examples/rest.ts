import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

export type RestClient = Client<paths>;
export type Accesskey = components['schemas']['Accesskey'];

/**
 * A typed client for the `/v1.0` REST API, from types generated out of `/v1.0/openapi.json` by
 * openapi-typescript. As in the platform's tutorial, every request carries the access key as the
 * `accesskey` query parameter (a security scheme, so not among the typed parameters: a middleware adds it).
 */
export function createRestClient(baseUrl: string, accesskey: string): RestClient {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      const url = new URL(request.url);
      url.searchParams.set('accesskey', accesskey);
      return new Request(url, request);
    },
  });
  return client;
}

/** The tutorial: create a key, list the keys, get the new one; then delete it. */
export async function restTutorial(client: RestClient) {
  const created = await client.POST('/v1.0/accesskeys', {
    body: { name: 'My New Accesskey', detail: 'This key is used for reporting', expire: 31536000 },
  });
  if (!created.data) throw new Error(`create failed: ${created.error?.error.reason}`);
  const { token, ...key } = created.data;

  const list = await client.GET('/v1.0/accesskeys', { params: { query: { page_size: 10 } } });
  if (!list.data) throw new Error(`list failed: ${list.error?.error.reason}`);

  const one = await client.GET('/v1.0/accesskeys/{id}', { params: { path: { id: key.id } } });
  if (!one.data) throw new Error(`get failed: ${one.error?.error.reason}`);

  const deleted = await client.DELETE('/v1.0/accesskeys/{id}', { params: { path: { id: key.id } } });
  // A second delete is refused: `error` is the typed error envelope.
  const again = await client.DELETE('/v1.0/accesskeys/{id}', { params: { path: { id: key.id } } });

  return {
    token,
    key,
    listed: list.data.result,
    nextPageToken: list.data.next_page_token,
    fetched: one.data,
    deleted: deleted.data,
    deleteAgain: { status: again.response.status, error: again.error?.error },
  };
}
