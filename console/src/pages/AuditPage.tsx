import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { AuditList } from '../components/AuditList';
import { ErrorMessage } from '../components/ErrorMessage';
import { ConsoleAuditActionsDocument, ConsoleAuditChainDocument, ConsoleAuditDocument } from '../generated/graphql';
import type { ConsoleAuditChainQuery, ConsoleAuditQuery } from '../generated/graphql';
import { execute } from '../lib/api';
import { localToIso } from '../lib/keys';

const PAGE_SIZE = 50;

/** The customer's audit trail, newest first, filtered by action and time. */
export function AuditPage(_props: PageProps) {
  const [action, setAction] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<ConsoleAuditQuery['auditEvents'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The filter's choices are the server's own list (`auditActions`), so they never fall behind it.
  const [actions, setActions] = useState<readonly string[]>([]);
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    execute(ConsoleAuditActionsDocument, {})
      .then(({ auditActions }) => live && setActions(auditActions))
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, []);

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
            {actions.map((a) => (
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
      <ChainCheck />
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

/**
 * The chain check, on demand: the API recomputes the whole chain, whose cost grows with the trail,
 * so it is not run on every visit.
 */
function ChainCheck() {
  const [verdict, setVerdict] = useState<ConsoleAuditChainQuery['auditChain'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setVerdict((await execute(ConsoleAuditChainDocument, {})).auditChain);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="chain">
      <p className="muted">Every event is hash-chained to the one before it, so a changed or removed event shows.</p>
      <button type="button" onClick={() => void check()} disabled={busy}>
        Verify the chain
      </button>
      <div aria-live="polite">
        {verdict?.ok && <p className="notice">The chain verifies: {verdict.events} events, each linked to the one before it.</p>}
        {verdict && !verdict.ok && (
          <p role="alert" className="error">
            The chain is broken at event {verdict.brokenAtSeq}: {verdict.reason}
          </p>
        )}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
