import type { TypedDocumentString } from '../generated/graphql';

/** A refusal or failure from the API, with what the user needs to report it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: () => void = () => undefined;

/** What to do when the session is gone (the app sends the user to sign in, and back afterwards). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Runs one typed operation against `/graphql` with the session cookie. POST with a JSON body is what
 * the server's CSRF guard needs from a cookie session (a cross-site form cannot send it without a
 * preflight the server never grants); `apollo-require-preflight` says so explicitly. Every error is
 * thrown as an {@link ApiError} naming the request id from `X-Request-Id`.
 */
export async function execute<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('The server could not be reached.', 'UNAVAILABLE', null);
  }
  const requestId = response.headers.get('x-request-id');
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL body.`, 'INTERNAL', requestId);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'INTERNAL';
    if (code === 'UNAUTHENTICATED') onUnauthenticated();
    throw new ApiError(first.message, code, requestId);
  }
  if (!body.data) throw new ApiError('The server answered without data.', 'INTERNAL', requestId);
  return body.data;
}

/** `POST /auth/login`: sets the HttpOnly session cookie; the token in the body is not kept. */
export async function signIn(username: string, password: string): Promise<void> {
  const response = await fetch('/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.ok) return;
  const requestId = response.headers.get('x-request-id');
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string; status?: string } };
  const message = body.error?.message ?? `Signing in failed (${response.status}).`;
  throw new ApiError(message, body.error?.status ?? String(response.status), requestId);
}

/** `POST /auth/logout`: ends the session on the server and clears the cookie. */
export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
}
