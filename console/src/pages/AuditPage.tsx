import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { AuditList } from '../components/AuditList';
import { ErrorMessage } from '../components/ErrorMessage';
import { ConsoleAuditDocument } from '../generated/graphql';
import type { ConsoleAuditQuery } from '../generated/graphql';
import { execute } from '../lib/api';
import { AUDIT_ACTIONS, localToIso } from '../lib/keys';

const PAGE_SIZE = 50;

/** The customer's audit trail, newest first, filtered by action and time. */
export function AuditPage(_props: PageProps) {
  const [action, setAction] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<ConsoleAuditQuery['auditEvents'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    const filter = {
      ...(action ? { action } : {}),
      ...(since ? { since: localToIso(since) } : {}),
      ...(until ? { until: localToIso(until) } : {}),
    };
    execute(ConsoleAuditDocument, { filter, after, first: PAGE_SIZE })
      .then(({ auditEvents }) => {
        if (!live) return;
        setData(auditEvents);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [action, since, until, after]);

  const restart = () => setCursors([null]);
  return (
    <>
      <h1>Audit</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Action
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              restart();
            }}
          >
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={since}
            onChange={(e) => {
              setSince(e.target.value);
              restart();
            }}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={until}
            onChange={(e) => {
              setUntil(e.target.value);
              restart();
            }}
          />
        </label>
      </form>
      <p className="muted">
        Every event is hash-chained to the one before it; an operator checks the chain with <code>npm run admin -- audit verify</code>.
      </p>
      <ErrorMessage error={error} />
      {data && <AuditList events={data.nodes} />}
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!data?.pageInfo.hasNextPage}
          onClick={() => data?.pageInfo.endCursor && setCursors([...cursors, data.pageInfo.endCursor])}
        >
          Older
        </button>
      </nav>
    </>
  );
}
