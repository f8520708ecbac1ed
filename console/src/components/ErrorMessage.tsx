import { ApiError } from '../lib/api';

/** An API error as the user sees it: its message, its code and the request id to quote. */
export function ErrorMessage({ error }: { readonly error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="error">
      <p>{message}</p>
      {apiError && (
        <p className="muted">
          {apiError.code}
          {apiError.requestId ? ` · request id ${apiError.requestId}` : ''}
        </p>
      )}
    </div>
  );
}
