import type { ReactNode } from 'react';
import { REFILL_CHOICES, WINDOW_UNITS } from '../lib/policy';
import type { PolicyField, PolicyForm, RefillChoice, WindowUnit } from '../lib/policy';

interface Props {
  readonly form: PolicyForm;
  readonly onChange: (form: PolicyForm) => void;
  readonly errors: Partial<Record<PolicyField, string>>;
}

/** The element id of a policy field's input (the dialogs focus the first one at fault). */
export const policyFieldId = (field: PolicyField): string => `policy-${field}`;

/** Moves the focus to the first field at fault (in the order of the form), so its message is read out. */
export function focusFirstFault(errors: Partial<Record<PolicyField, string>>): void {
  const first = (['limit', 'window', 'remaining', 'refillAmount', 'allowedIps'] as const).find((f) => errors[f]);
  if (first) document.getElementById(policyFieldId(first))?.focus();
}

/** A field's message, tied to its input by `aria-describedby`. */
function FieldError({ field, errors }: { readonly field: PolicyField; readonly errors: Props['errors'] }) {
  const message = errors[field];
  return message ? (
    <span id={`${policyFieldId(field)}-error`} className="field-error">
      {message}
    </span>
  ) : null;
}

function errorProps(field: PolicyField, errors: Props['errors']) {
  return errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${policyFieldId(field)}-error` } : {};
}

function NumberField({ field, label, value, onChange, errors }: { field: PolicyField; label: ReactNode; value: string; onChange: (v: string) => void; errors: Props['errors'] }) {
  return (
    <div className="field">
      <label>
        {label}
        <input id={policyFieldId(field)} inputMode="numeric" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} {...errorProps(field, errors)} />
      </label>
      <FieldError field={field} errors={errors} />
    </div>
  );
}

/** Rate limit, credits and allowed IPs, as the Create key and Edit policy dialogs ask for them. */
export function PolicyFields({ form, onChange, errors }: Props) {
  const set = (change: Partial<PolicyForm>) => onChange({ ...form, ...change });
  return (
    <>
      <fieldset className="policy">
        <legend>Rate limit</legend>
        <label className="inline">
          <input type="checkbox" checked={form.rateLimitOn} onChange={(e) => set({ rateLimitOn: e.target.checked })} />
          Limit the request rate
        </label>
        {form.rateLimitOn && (
          <div className="field-row">
            <NumberField field="limit" label="Requests allowed" value={form.limit} onChange={(limit) => set({ limit })} errors={errors} />
            <NumberField field="window" label="Per window of" value={form.window} onChange={(window) => set({ window })} errors={errors} />
            <label>
              Window unit
              <select value={form.windowUnit} onChange={(e) => set({ windowUnit: e.target.value as WindowUnit })}>
                {WINDOW_UNITS.map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
      </fieldset>
      <fieldset className="policy">
        <legend>Credits</legend>
        <label className="inline">
          <input type="checkbox" checked={form.creditsOn} onChange={(e) => set({ creditsOn: e.target.checked })} />
          Limit the number of uses
        </label>
        {form.creditsOn && (
          <>
            <div className="field-row">
              <NumberField field="remaining" label="Uses left" value={form.remaining} onChange={(remaining) => set({ remaining })} errors={errors} />
            </div>
            <label className="inline">
              <input type="checkbox" checked={form.refillOn} onChange={(e) => set({ refillOn: e.target.checked })} />
              Refill the uses
            </label>
            {form.refillOn && (
              <div className="field-row">
                <NumberField field="refillAmount" label="Refill to" value={form.refillAmount} onChange={(refillAmount) => set({ refillAmount })} errors={errors} />
                <label>
                  Refill interval
                  <select value={form.refillInterval} onChange={(e) => set({ refillInterval: e.target.value as RefillChoice })}>
                    {REFILL_CHOICES.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            )}
          </>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={policyFieldId('allowedIps')}>Allowed IPs</label>
        <textarea
          id={policyFieldId('allowedIps')}
          rows={2}
          value={form.allowedIps}
          onChange={(e) => set({ allowedIps: e.target.value })}
          aria-invalid={errors.allowedIps ? true : undefined}
          aria-describedby={`allowed-ips-hint${errors.allowedIps ? ` ${policyFieldId('allowedIps')}-error` : ''}`}
        />
        <span id="allowed-ips-hint" className="hint">
          One address or CIDR per line, such as 203.0.113.7 or 10.0.0.0/8. Empty: any address.
        </span>
        <FieldError field="allowedIps" errors={errors} />
      </div>
    </>
  );
}
