/**
 * Why a token verified or not: the one list. The TypeScript type, the REST
 * JSON schema's enum and description, and the GraphQL field's description are
 * all derived from it. The verifying service may learn the code; the token's
 * holder only ever sees 401.
 */
// The last three are the key's usage policy refusing this use (src/policy/).
export const VERIFICATION_CODES = ['VALID', 'MALFORMED', 'NOT_FOUND', 'EXPIRED', 'DISABLED', 'DELETED', 'RATE_LIMITED', 'USAGE_EXCEEDED', 'IP_NOT_ALLOWED'] as const;

export type VerificationCode = (typeof VERIFICATION_CODES)[number];

/** The codes of a token that does not verify. */
export const REFUSAL_CODES = VERIFICATION_CODES.filter((c): c is Exclude<VerificationCode, 'VALID'> => c !== 'VALID');

/** `A, B or C`, for descriptions. */
export const listed = (codes: readonly string[]): string => `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
