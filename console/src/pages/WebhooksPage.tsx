import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { PageProps } from '../App';
import { Dialog } from '../components/Dialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { TokenOnce } from '../components/TokenOnce';
import { ConsoleCreateWebhookDocument, ConsoleWebhooksDocument } from '../generated/graphql';
import type { ConsoleWebhookEndpointFragment } from '../generated/graphql';
import { execute } from '../lib/api';
import { formatTime } from '../lib/keys';
import { navigate } from '../lib/router';
import { describeEvents, parseWebhookForm } from '../lib/webhooks';
import type { WebhookField } from '../lib/webhooks';

export const WEBHOOKS = '/console/webhooks';

/** The customer's webhook endpoints; each leads to its deliveries. */
export function WebhooksPage(_props: PageProps) {
  const [endpoints, setEndpoints] = useState<ConsoleWebhookEndpointFragment[] | null>(null);
  const [eventTypes, setEventTypes] = useState<readonly string[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    execute(ConsoleWebhooksDocument, {})
      .then(({ webhookEndpoints, webhookEventTypes }) => {
        if (!live) return;
        setEndpoints(webhookEndpoints.nodes);
        setEventTypes(webhookEventTypes);
        setNext(webhookEndpoints.pageInfo.hasNextPage ? (webhookEndpoints.pageInfo.endCursor ?? null) : null);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [reload]);

  const more = () => {
    execute(ConsoleWebhooksDocument, { after: next })
      .then(({ webhookEndpoints }) => {
        setEndpoints((shown) => [...(shown ?? []), ...webhookEndpoints.nodes]);
        setNext(webhookEndpoints.pageInfo.hasNextPage ? (webhookEndpoints.pageInfo.endCursor ?? null) : null);
      })
      .catch((err: unknown) => setError(err));
  };

  return (
    <>
      <div className="title-row">
        <h1>Webhooks</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)} disabled={eventTypes.length === 0}>
          Create endpoint
        </button>
      </div>
      <p className="muted">Signed events (Standard Webhooks) about your keys, sent to your endpoints and retried until they answer 2xx.</p>
      <ErrorMessage error={error} />
      {endpoints && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Webhook endpoints">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Description</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty">
                    No endpoints yet.
                  </td>
                </tr>
              )}
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td>
                    <a
                      href={`${WEBHOOKS}/${endpoint.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate(`${WEBHOOKS}/${endpoint.id}`);
                      }}
                    >
                      {endpoint.url}
                    </a>
                  </td>
                  <td>{describeEvents(endpoint.events)}</td>
                  <td>{endpoint.description || '—'}</td>
                  <td>{endpoint.disabled ? 'Disabled' : 'Enabled'}</td>
                  <td>{formatTime(endpoint.tmCreate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <div className="pager">
          <button type="button" onClick={more}>
            More endpoints
          </button>
        </div>
      )}
      {creating && (
        <CreateWebhookDialog
          eventTypes={eventTypes}
          onClose={(created) => {
            setCreating(false);
            if (created) setReload((n) => n + 1);
          }}
        />
      )}
    </>
  );
}

/** URL, events, description; then the signing secret, once. Closing forgets it. */
function CreateWebhookDialog({ eventTypes, onClose }: { readonly eventTypes: readonly string[]; readonly onClose: (created: boolean) => void }) {
  const [url, setUrl] = useState('');
  const [allEvents, setAllEvents] = useState(false);
  const [events, setEvents] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Partial<Record<WebhookField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseWebhookForm({ url, allEvents, events, description });
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError(null);
      setTimeout(() => document.getElementById(parsed.errors.url ? 'webhook-url' : 'webhook-all-events')?.focus());
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      const { createWebhookEndpoint } = await execute(ConsoleCreateWebhookDocument, { input: parsed.input });
      setSecret(createWebhookEndpoint.secret);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create endpoint" onClose={() => onClose(secret !== null)}>
      {secret ? (
        <>
          <TokenOnce
            token={secret}
            label="Signing secret of the new endpoint"
            warning="Copy this secret now. It will not be shown again: the server keeps it encrypted and never shows it. Verify each event's signature with it."
          />
          <div className="actions">
            <button type="button" className="primary" onClick={() => onClose(true)}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="stack" noValidate>
          <div className="field">
            <label htmlFor="webhook-url">URL</label>
            <input
              id="webhook-url"
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://example.com/webhooks"
              autoFocus
              aria-invalid={errors.url ? true : undefined}
              aria-describedby={errors.url ? 'webhook-url-error' : undefined}
            />
            {errors.url && (
              <span id="webhook-url-error" className="field-error">
                {errors.url}
              </span>
            )}
          </div>
          <fieldset aria-describedby={errors.events ? 'webhook-events-error' : undefined}>
            <legend>Events</legend>
            <label className="inline">
              <input id="webhook-all-events" type="checkbox" checked={allEvents} onChange={(e) => setAllEvents(e.target.checked)} />
              All events, including those added later
            </label>
            {!allEvents &&
              eventTypes.map((type) => (
                <label key={type} className="inline">
                  <input
                    type="checkbox"
                    checked={events.includes(type)}
                    // Kept in the API's order, whatever the order of the clicks.
                    onChange={(e) => setEvents(eventTypes.filter((t) => (t === type ? e.target.checked : events.includes(t))))}
                  />
                  <span className="mono">{type}</span>
                </label>
              ))}
            {errors.events && (
              <span id="webhook-events-error" className="field-error">
                {errors.events}
              </span>
            )}
          </fieldset>
          <label>
            Description
            <input value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Create endpoint
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
