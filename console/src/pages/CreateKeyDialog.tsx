import { useState } from 'react';
import type { FormEvent } from 'react';
import { Dialog } from '../components/Dialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { PolicyFields, focusFirstFault } from '../components/PolicyFields';
import { TokenOnce } from '../components/TokenOnce';
import { ConsoleCreateKeyDocument } from '../generated/graphql';
import { execute } from '../lib/api';
import { EXPIRY_PRESETS, expirySeconds } from '../lib/keys';
import type { ExpiryPreset } from '../lib/keys';
import { EMPTY_POLICY_FORM, parsePolicyForm } from '../lib/policy';
import type { PolicyField } from '../lib/policy';

interface Props {
  /** The scopes the signed-in agent may give (`me.grantableScopes`); nothing else is offered. */
  readonly grantable: readonly string[];
  /** Offered only to those the API tells canaries apart for. */
  readonly mayCanary: boolean;
  /** `created` is true when a key was made (the list reloads). */
  readonly onClose: (created: boolean) => void;
}

/** Name, detail, expiry, scopes, canary, usage policy; then the token, once. Closing forgets it. */
export function CreateKeyDialog({ grantable, mayCanary, onClose }: Props) {
  const [name, setName] = useState('');
  const [detail, setDetail] = useState('');
  const [preset, setPreset] = useState<ExpiryPreset>('90d');
  const [date, setDate] = useState('');
  const [scopes, setScopes] = useState<string[]>(grantable.filter((s) => s !== 'accesskeys:verify'));
  const [canary, setCanary] = useState(false);
  const [policyForm, setPolicyForm] = useState(EMPTY_POLICY_FORM);
  const [policyErrors, setPolicyErrors] = useState<Partial<Record<PolicyField, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const expiry = expirySeconds(preset, date, new Date());
    if (!expiry.ok) {
      setError(new Error(expiry.message));
      return;
    }
    if (scopes.length === 0) {
      setError(new Error('Choose at least one scope.'));
      return;
    }
    const parsed = parsePolicyForm(policyForm);
    if (!parsed.ok) {
      setPolicyErrors(parsed.errors);
      setError(new Error('Check the usage policy: a field is not right.'));
      // After React has rendered the messages the inputs point to.
      setTimeout(() => focusFirstFault(parsed.errors));
      return;
    }
    setPolicyErrors({});
    const { rateLimit, credits, allowedCidrs } = parsed.policy;
    setBusy(true);
    setError(null);
    try {
      const { createAccesskey } = await execute(ConsoleCreateKeyDocument, {
        input: {
          name,
          detail,
          expire: expiry.seconds,
          scopes,
          canary,
          // None of them: the key has no such limit (left out, as the API's default).
          ...(rateLimit ? { rateLimit } : {}),
          ...(credits ? { credits } : {}),
          ...(allowedCidrs ? { allowedCidrs } : {}),
        },
      });
      setToken(createAccesskey.token);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Create key" onClose={() => onClose(token !== null)}>
      {token ? (
        <>
          <TokenOnce token={token} label="Token of the new key" />
          <div className="actions">
            <button type="button" className="primary" onClick={() => onClose(true)}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="stack">
          <label>
            Name
            <input name="name" required maxLength={255} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          </label>
          <label>
            Detail
            <textarea name="detail" maxLength={1000} value={detail} onChange={(e) => setDetail(e.target.value)} />
          </label>
          <fieldset>
            <legend>Expires in</legend>
            {EXPIRY_PRESETS.map((p) => (
              <label key={p.value} className="inline">
                <input type="radio" name="expiry" value={p.value} checked={preset === p.value} onChange={() => setPreset(p.value)} />
                {p.label}
              </label>
            ))}
            {preset === 'date' && (
              <label>
                Expiry date (UTC, end of day)
                <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
              </label>
            )}
          </fieldset>
          <fieldset>
            <legend>Scopes</legend>
            {grantable.map((scope) => (
              <label key={scope} className="inline">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
                />
                {scope}
              </label>
            ))}
          </fieldset>
          {mayCanary && (
            <label className="inline">
              <input type="checkbox" checked={canary} onChange={(e) => setCanary(e.target.checked)} />
              Canary (never authorizes anything; every use is recorded)
            </label>
          )}
          <PolicyFields form={policyForm} onChange={setPolicyForm} errors={policyErrors} />
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              Create
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
