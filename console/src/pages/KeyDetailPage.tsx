import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { PageProps } from '../App';
import { AuditList } from '../components/AuditList';
import { Dialog } from '../components/Dialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { PolicyFields, focusFirstFault } from '../components/PolicyFields';
import { StatusBadge } from '../components/StatusBadge';
import { TokenOnce } from '../components/TokenOnce';
import { UsageChart } from '../components/UsageChart';
import {
  ConsoleAuditDocument,
  ConsoleDeleteKeyDocument,
  ConsoleDisableKeyDocument,
  ConsoleEnableKeyDocument,
  ConsoleKeyDocument,
  ConsoleKeyUsageDocument,
  ConsoleRotateKeyDocument,
  ConsoleSetPolicyDocument,
} from '../generated/graphql';
import type { ConsoleAuditQuery, ConsoleKeyQuery } from '../generated/graphql';
import { ApiError, execute } from '../lib/api';
import { formatTime } from '../lib/keys';
import { describePolicy, parsePolicyForm, policyFormOf } from '../lib/policy';
import type { PolicyField } from '../lib/policy';
import { usageWindow } from '../lib/usage';
import type { UsageBucket } from '../lib/usage';
import { BASE, navigate } from '../lib/router';

type Key = NonNullable<ConsoleKeyQuery['accesskey']>;

/** Every field of one key, what may be done to it, its leak report and its audit events. */
export function KeyDetailPage({ me, params }: PageProps) {
  const id = params.id;
  const [key, setKey] = useState<Key | null | undefined>(undefined);
  const [events, setEvents] = useState<ConsoleAuditQuery['auditEvents']['nodes'] | null>(null);
  const [usage, setUsage] = useState<readonly UsageBucket[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<'rotate' | 'delete' | 'policy' | null>(null);
  const mayWrite = me.allowedActions.includes('accesskeys:write');
  const mayAudit = me.allowedActions.includes('audit:read');

  const load = useCallback(async () => {
    try {
      const { accesskey } = await execute(ConsoleKeyDocument, { id });
      setKey(accesskey ?? null);
      if (accesskey) setUsage((await execute(ConsoleKeyUsageDocument, { id, ...usageWindow(new Date()) })).accesskey?.usage ?? null);
      if (mayAudit) setEvents((await execute(ConsoleAuditDocument, { filter: { targetId: id }, first: 50 })).auditEvents.nodes);
    } catch (err) {
      // Another customer's key (or no key) is not found, like a key that never was.
      if (err instanceof ApiError && err.code === 'NOT_FOUND') setKey(null);
      else setError(err);
    }
  }, [id, mayAudit]);

  useEffect(() => {
    setKey(undefined);
    setEvents(null);
    setUsage(null);
    setError(null);
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (err) {
      setError(err);
    }
  };

  if (key === undefined) return error ? <ErrorMessage error={error} /> : <p aria-live="polite">Loading…</p>;
  if (key === null) {
    return (
      <>
        <h1>Key not found</h1>
        <p>
          No key of yours has this id. <a href={BASE}>Back to the keys.</a>
        </p>
      </>
    );
  }

  const deleted = Boolean(key.tmDelete);
  return (
    <>
      <p>
        <a
          href={BASE}
          onClick={(event) => {
            event.preventDefault();
            navigate(BASE);
          }}
        >
          ← Keys
        </a>
      </p>
      <h1>{key.name || '(no name)'}</h1>
      <ErrorMessage error={error} />
      {mayWrite && !deleted && (
        <div className="actions left">
          <button type="button" onClick={() => setDialog('rotate')}>
            Rotate
          </button>
          {key.tmDisable ? (
            <button type="button" onClick={() => void act(() => execute(ConsoleEnableKeyDocument, { id }))}>
              Enable
            </button>
          ) : (
            <button type="button" onClick={() => void act(() => execute(ConsoleDisableKeyDocument, { id }))}>
              Disable
            </button>
          )}
          <button type="button" className="danger" onClick={() => setDialog('delete')}>
            Delete
          </button>
        </div>
      )}
      <dl className="fields">
        <dt>Status</dt>
        <dd>
          <StatusBadge keyTimes={key} now={new Date()} />
        </dd>
        <dt>Id</dt>
        <dd className="mono">{key.id}</dd>
        <dt>Prefix</dt>
        <dd className="mono">{key.tokenPrefix}</dd>
        <dt>Detail</dt>
        <dd>{key.detail || '—'}</dd>
        <dt>Scopes</dt>
        <dd>{key.scopes.join(', ')}</dd>
        <dt>Canary</dt>
        <dd>{key.canary ? 'Yes' : 'No'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(key.tmCreate)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(key.tmUpdate)}</dd>
        <dt>Expires</dt>
        <dd>{formatTime(key.tmExpire)}</dd>
        <dt>Last used</dt>
        <dd>{formatTime(key.tmLastUsed)}</dd>
        <dt>Disabled</dt>
        <dd>{formatTime(key.tmDisable)}</dd>
        <dt>Deleted</dt>
        <dd>{formatTime(key.tmDelete)}</dd>
        <dt>Rotated from</dt>
        <dd className="mono">
          {key.rotatedFromId ? (
            <a
              href={`/console/keys/${key.rotatedFromId}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/console/keys/${key.rotatedFromId}`);
              }}
            >
              {key.rotatedFromId}
            </a>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      <section aria-labelledby="policy-title">
        <div className="title-row">
          <h2 id="policy-title">Usage policy</h2>
          {mayWrite && !deleted && (
            <button type="button" onClick={() => setDialog('policy')}>
              Edit policy
            </button>
          )}
        </div>
        <PolicySummary accesskey={key} />
      </section>
      <section aria-labelledby="usage-title">
        <h2 id="usage-title">Usage</h2>
        {usage ? <UsageChart buckets={usage} /> : <p aria-live="polite">Loading…</p>}
      </section>
      {key.leak && (
        <section aria-labelledby="leak-title" className="leak">
          <h2 id="leak-title">Leak report</h2>
          <p>
            Reported {formatTime(key.leak.tmReported)}
            {key.leak.source ? ` (${key.leak.source})` : ''}: <span className="mono">{key.leak.url}</span>
          </p>
        </section>
      )}
      {mayAudit && (
        <section aria-labelledby="events-title">
          <h2 id="events-title">Events</h2>
          {events && <AuditList events={events} />}
        </section>
      )}
      {dialog === 'policy' && <PolicyDialog accesskey={key} onClose={(changed) => (setDialog(null), changed && void load())} />}
      {dialog === 'rotate' && <RotateDialog id={id} onClose={(rotated) => (setDialog(null), rotated && void load())} />}
      {dialog === 'delete' && (
        <ConfirmDialog
          title={`Delete key “${key.name}”?`}
          confirm="Delete key"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            // A deleted key has no page of its own (the API no longer finds it): back to the list, which says so.
            execute(ConsoleDeleteKeyDocument, { id })
              .then(() => navigate(`${BASE}?deleted=${encodeURIComponent(key.name)}`))
              .catch((err: unknown) => setError(err));
          }}
        >
          <p>
            The key <strong>{key.name}</strong> ({key.tokenPrefix}…) stops working at once. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function PolicySummary({ accesskey }: { readonly accesskey: Key }) {
  const policy = describePolicy(accesskey);
  return (
    <dl className="fields">
      <dt>Rate limit</dt>
      <dd>{policy.rateLimit}</dd>
      <dt>Credits</dt>
      <dd>{policy.credits}</dd>
      <dt>Allowed IPs</dt>
      <dd className="mono">{policy.allowedIps}</dd>
    </dl>
  );
}

/** Changes the rate limit, credits and allowed IPs (`setAccesskeyPolicy`): a part switched off is cleared. */
function PolicyDialog({ accesskey, onClose }: { readonly accesskey: Key; readonly onClose: (changed: boolean) => void }) {
  const [form, setForm] = useState(() => policyFormOf(accesskey));
  const [errors, setErrors] = useState<Partial<Record<PolicyField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePolicyForm(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setError(new Error('Check the usage policy: a field is not right.'));
      setTimeout(() => focusFirstFault(parsed.errors));
      return;
    }
    setErrors({});
    setBusy(true);
    setError(null);
    try {
      // Every part is sent: null clears it. The key's meta is left out, so it stays.
      await execute(ConsoleSetPolicyDocument, { id: accesskey.id, input: parsed.policy });
      onClose(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog title="Edit usage policy" onClose={() => onClose(false)}>
      <form onSubmit={(event) => void submit(event)} className="stack">
        <PolicyFields form={form} onChange={setForm} errors={errors} />
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save policy
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Rotation: a grace period for the old key, then the new token, once; the page then shows the new key. */
function RotateDialog({ id, onClose }: { readonly id: string; readonly onClose: (rotated: boolean) => void }) {
  const [grace, setGrace] = useState('86400');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [rotated, setRotated] = useState<{ token: string; id: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { rotateAccesskey } = await execute(ConsoleRotateKeyDocument, { id, gracePeriod: Number(grace) });
      setRotated({ token: rotateAccesskey.token, id: rotateAccesskey.accesskey.id });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const done = () => {
    onClose(rotated !== null);
    if (rotated) navigate(`/console/keys/${rotated.id}`);
  };
  return (
    <Dialog title="Rotate key" onClose={done}>
      {rotated ? (
        <>
          <TokenOnce token={rotated.token} label="Token of the new key" />
          <div className="actions">
            <button type="button" className="primary" onClick={done}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="stack">
          <label>
            Grace period (seconds the old key keeps working)
            <input type="number" min={0} max={2592000} required value={grace} onChange={(e) => setGrace(e.target.value)} autoFocus />
          </label>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Rotate key
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
