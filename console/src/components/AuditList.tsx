import type { ConsoleAuditQuery } from '../generated/graphql';
import { formatTime } from '../lib/keys';

type AuditEvent = ConsoleAuditQuery['auditEvents']['nodes'][number];

function Json({ label, value }: { readonly label: string; readonly value: Record<string, unknown> | null | undefined }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </dd>
    </>
  );
}

/** Audit events, newest first, each expandable to before, after and detail. */
export function AuditList({ events }: { readonly events: readonly AuditEvent[] }) {
  if (events.length === 0) return <p className="empty">No events.</p>;
  return (
    <ol className="audit" aria-label="Audit events">
      {events.map((event) => (
        <li key={event.id}>
          <details>
            <summary>
              <span className="mono">{event.action}</span> · {formatTime(event.time)} · {event.actor.kind}
              {event.actor.name ? ` ${event.actor.name}` : ''}
            </summary>
            <dl>
              <dt>Sequence</dt>
              <dd>{event.seq}</dd>
              <dt>Target</dt>
              <dd className="mono">{event.targetId ?? '—'}</dd>
              <dt>Request id</dt>
              <dd className="mono">{event.requestId ?? '—'}</dd>
              <dt>Client address</dt>
              <dd>{event.clientAddress ?? '—'}</dd>
              <Json label="Before" value={event.before} />
              <Json label="After" value={event.after} />
              <Json label="Detail" value={event.detail} />
            </dl>
          </details>
        </li>
      ))}
    </ol>
  );
}
