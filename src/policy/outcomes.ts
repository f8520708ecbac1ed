/** Every outcome a use of a known key can have, as counted for analytics. */
export const USAGE_OUTCOMES = ['VALID', 'RATE_LIMITED', 'USAGE_EXCEEDED', 'IP_NOT_ALLOWED', 'DISABLED', 'EXPIRED', 'DELETED'] as const;
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];
