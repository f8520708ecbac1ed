import { useState } from 'react';

interface Props {
  readonly token: string;
  readonly label: string;
  /** Why it is shown once (what the server keeps instead). */
  readonly warning?: string;
}

/** A token (or secret) shown once, with a Copy button and the warning that it will not be shown again. */
export function TokenOnce({ token, label, warning = 'Copy this token now. It will not be shown again: the server keeps only its hash.' }: Props) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="token-once">
      <p className="warning" role="note">
        {warning}
      </p>
      <label htmlFor="token-value">{label}</label>
      <div className="row">
        <input id="token-value" className="mono" readOnly value={token} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p aria-live="polite" className="muted">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed: select the token and copy it by hand.' : ''}
      </p>
    </div>
  );
}
