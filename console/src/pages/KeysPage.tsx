import { useEffect, useState } from 'react';
import type { PageProps } from '../App';
import { ErrorMessage } from '../components/ErrorMessage';
import { StatusBadge } from '../components/StatusBadge';
import { ConsoleKeysDocument } from '../generated/graphql';
import type { AccesskeyState, ConsoleKeyFragment } from '../generated/graphql';
import { execute } from '../lib/api';
import { STATE_FILTERS, formatTime } from '../lib/keys';
import { navigate, useLocation } from '../lib/router';
import { CreateKeyDialog } from './CreateKeyDialog';

const PAGE_SIZE = 20;

/** The keys of the signed-in agent's customer: a state filter, a name search, and pages by cursor. */
export function KeysPage({ me }: PageProps) {
  const deleted = useLocation().search.get('deleted');
  const [state, setState] = useState('');
  const [search, setSearch] = useState('');
  const [nameContains, setNameContains] = useState('');
  // The cursors of the pages before this one (the connection only goes forward).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [keys, setKeys] = useState<ConsoleKeyFragment[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [reload, setReload] = useState(0);
  const after = cursors[cursors.length - 1];

  // The search waits for a pause in typing rather than asking on every key stroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      setNameContains(search.trim());
      setCursors([null]);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    let live = true;
    const filter = { ...(state ? { state: state as AccesskeyState } : {}), ...(nameContains ? { nameContains } : {}) };
    execute(ConsoleKeysDocument, { filter, after, first: PAGE_SIZE })
      .then(({ accesskeys }) => {
        if (!live) return;
        setKeys(accesskeys.nodes);
        setNext(accesskeys.pageInfo.hasNextPage ? (accesskeys.pageInfo.endCursor ?? null) : null);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [state, nameContains, after, reload]);

  const mayWrite = me.allowedActions.includes('accesskeys:write');
  const now = new Date();
  return (
    <>
      <div className="title-row">
        <h1>Keys</h1>
        {mayWrite && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create key
          </button>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select
            value={state}
            onChange={(e) => {
              setState(e.target.value);
              setCursors([null]);
            }}
          >
            {STATE_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search by name
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </form>
      {deleted !== null && (
        <p role="status" className="notice">
          Deleted the key “{deleted}”.
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="table-wrap" role="region" aria-label="Keys" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Status</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody aria-busy={keys === null}>
            {keys?.map((key) => (
              <tr key={key.id}>
                <td>
                  <a
                    href={`/console/keys/${key.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(`/console/keys/${key.id}`);
                    }}
                  >
                    {key.name || '(no name)'}
                  </a>
                </td>
                <td className="mono">{key.tokenPrefix}</td>
                <td>{key.scopes.join(', ')}</td>
                <td>
                  <StatusBadge keyTimes={key} now={now} />
                </td>
                <td>{formatTime(key.tmLastUsed)}</td>
                <td>{formatTime(key.tmExpire)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {keys?.length === 0 && <p className="empty">No keys match.</p>}
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
          Next page
        </button>
      </nav>
      {creating && (
        <CreateKeyDialog
          grantable={me.grantableScopes}
          mayCanary={me.allowedActions.includes('canaries:read')}
          onClose={(created) => {
            setCreating(false);
            if (created) setReload((n) => n + 1);
          }}
        />
      )}
    </>
  );
}
