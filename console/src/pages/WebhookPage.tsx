import { useCallback, useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import {
  ConsoleDeleteWebhookDocument,
  ConsoleRedeliverWebhookDocument,
  ConsoleSendTestWebhookDocument,
  ConsoleWebhookDeliveriesDocument,
} from '../generated/graphql';
import type { ConsoleWebhookDeliveryFragment, ConsoleWebhookEndpointFragment } from '../generated/graphql';
import { ApiError, execute } from '../lib/api';
import { formatTime } from '../lib/keys';
import { navigate } from '../lib/router';
import { DELIVERY_STATUS, describeEvents } from '../lib/webhooks';
import { WEBHOOKS } from './WebhooksPage';

/** One endpoint: what it receives, a test event, deletion, and its deliveries with `Redeliver`. */
export function WebhookPage({ params }: PageProps) {
  const id = params.id;
  const [endpoint, setEndpoint] = useState<ConsoleWebhookEndpointFragment | null | undefined>(undefined);
  const [deliveries, setDeliveries] = useState<ConsoleWebhookDeliveryFragment[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [deleting, setDeleting] = useState(false);

  const load = useCallback(async () => {
    try {
      const { webhookEndpoint, webhookDeliveries } = await execute(ConsoleWebhookDeliveriesDocument, { endpointId: id });
      setEndpoint(webhookEndpoint);
      setDeliveries(webhookDeliveries.nodes);
      setNext(webhookDeliveries.pageInfo.hasNextPage ? (webhookDeliveries.pageInfo.endCursor ?? null) : null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'NOT_FOUND') setEndpoint(null);
      else setError(err);
    }
  }, [id]);

  useEffect(() => {
    setEndpoint(undefined);
    setError(null);
    setNotice('');
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice('');
    try {
      await work();
      await load();
      setNotice(done);
    } catch (err) {
      setError(err);
    }
  };

  const more = () => {
    execute(ConsoleWebhookDeliveriesDocument, { endpointId: id, after: next })
      .then(({ webhookDeliveries }) => {
        setDeliveries((shown) => [...shown, ...webhookDeliveries.nodes]);
        setNext(webhookDeliveries.pageInfo.hasNextPage ? (webhookDeliveries.pageInfo.endCursor ?? null) : null);
      })
      .catch((err: unknown) => setError(err));
  };

  const back = (
    <p>
      <a
        href={WEBHOOKS}
        onClick={(event) => {
          event.preventDefault();
          navigate(WEBHOOKS);
        }}
      >
        ← Webhooks
      </a>
    </p>
  );
  if (endpoint === undefined) return error ? <ErrorMessage error={error} /> : <p aria-live="polite">Loading…</p>;
  if (endpoint === null) {
    return (
      <>
        {back}
        <h1>Endpoint not found</h1>
        <p>No webhook endpoint of yours has this id.</p>
      </>
    );
  }

  return (
    <>
      {back}
      <h1 className="wrap">{endpoint.url}</h1>
      <ErrorMessage error={error} />
      <p role="status" className={notice ? 'notice' : undefined}>
        {notice}
      </p>
      <div className="actions left">
        <button type="button" onClick={() => void act(() => execute(ConsoleSendTestWebhookDocument, { id }), 'Queued a webhook.test event.')}>
          Send test
        </button>
        <button type="button" onClick={() => void act(async () => undefined, 'Deliveries refreshed.')}>
          Refresh
        </button>
        <button type="button" className="danger" onClick={() => setDeleting(true)}>
          Delete
        </button>
      </div>
      <dl className="fields">
        <dt>Events</dt>
        <dd>{describeEvents(endpoint.events)}</dd>
        <dt>Description</dt>
        <dd>{endpoint.description || '—'}</dd>
        <dt>Status</dt>
        <dd>{endpoint.disabled ? `Disabled ${formatTime(endpoint.tmDisable)} (failing too long)` : 'Enabled'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(endpoint.tmCreate)}</dd>
        <dt>Id</dt>
        <dd className="mono">{endpoint.id}</dd>
      </dl>
      <section>
        <h2>Deliveries</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Deliveries">
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Created</th>
                <th scope="col">Delivered</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No deliveries yet.
                  </td>
                </tr>
              )}
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="mono">{delivery.eventType}</td>
                  <td>{DELIVERY_STATUS[delivery.status]}</td>
                  <td>{delivery.attempts}</td>
                  <td title={delivery.lastError ?? undefined}>{delivery.lastStatusCode ?? (delivery.lastError ? 'Error' : '—')}</td>
                  <td>{formatTime(delivery.tmCreate)}</td>
                  <td>{delivery.tmDelivered ? formatTime(delivery.tmDelivered) : delivery.tmNextAttempt ? `Next try ${formatTime(delivery.tmNextAttempt)}` : '—'}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void act(() => execute(ConsoleRedeliverWebhookDocument, { deliveryId: delivery.id }), `Queued the ${delivery.eventType} delivery again.`)}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {next && (
          <div className="pager">
            <button type="button" onClick={more}>
              More deliveries
            </button>
          </div>
        )}
      </section>
      {deleting && (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirm="Delete endpoint"
          onCancel={() => setDeleting(false)}
          onConfirm={() => {
            setDeleting(false);
            execute(ConsoleDeleteWebhookDocument, { id })
              .then(() => navigate(WEBHOOKS))
              .catch((err: unknown) => setError(err));
          }}
        >
          <p>
            The endpoint <strong className="wrap">{endpoint.url}</strong> and its deliveries are deleted; it receives no more events. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
