import { keyStatus } from '../lib/keys';
import type { KeyTimes } from '../lib/keys';

export function StatusBadge({ keyTimes, now }: { readonly keyTimes: KeyTimes; readonly now: Date }) {
  const status = keyStatus(keyTimes, now);
  return <span className={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
