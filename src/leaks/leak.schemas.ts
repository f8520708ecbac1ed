import type { ErrorCode } from '../errors';
import { isAppError } from '../errors';
import type { AppError } from '../errors';
import { BODY_TOO_LARGE, LEAK_SIGNATURE, errorResponses, example, ref } from '../http/schemas';
import { LEAK_REPORT_LIMITS, leakReportsDisabled, parseLeakReport, signatureInvalid, signatureRequired } from './leak.report';

/** What `parseLeakReport` refuses `body` with. */
function refusedReport(body: string): AppError {
  try {
    parseLeakReport(Buffer.from(body));
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('refusedReport: the report is valid');
}

/** JSON Schemas of `POST /v1.0/accesskeys/leaks` (documentation and response serialisation; the route validates the raw body itself). */
const { fields } = LEAK_REPORT_LIMITS;

export const leakSchemas = [
  {
    $id: 'LeakReport',
    description: `Matches found by a secret-scanning partner (GitHub's payload): at most ${LEAK_REPORT_LIMITS.entries} objects, ${LEAK_REPORT_LIMITS.bodyBytes} bytes in all.`,
    type: 'array',
    maxItems: LEAK_REPORT_LIMITS.entries,
    items: {
      type: 'object',
      required: ['token', 'type', 'url'],
      properties: {
        token: { type: 'string', minLength: 1, maxLength: fields.token, description: 'The string found.', example: 'vb_a3Bf9xKmPq2nR7sT4wYzLp8mN5qR1xWe' },
        type: { type: 'string', minLength: 1, maxLength: fields.type, description: 'The reporter\'s name for the pattern that matched.', example: 'vb_access_key' },
        url: { type: 'string', minLength: 1, maxLength: fields.url, description: 'Where it was found.', example: 'https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/foo/bar.txt' },
        source: { type: 'string', minLength: 1, maxLength: fields.source, description: 'What kind of place (content, commit, issue_comment, …); may be absent.', example: 'content' },
      },
    },
  },
  {
    $id: 'LeakVerdicts',
    description: 'One answer per match, in the order of the report.',
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['token_hash', 'token_type', 'label'],
      properties: {
        token_hash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 hex of the token exactly as reported.' },
        token_type: { type: 'string', description: 'The `type` of the match.', example: 'vb_access_key' },
        label: {
          type: 'string',
          enum: ['true_positive', 'false_positive'],
          description: '`true_positive`: a key of this server that is live, disabled, or expired less than 30 days ago. Anything else is `false_positive`.',
        },
      },
    },
  },
];

const REFUSED: ErrorCode[] = ['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'UNAVAILABLE', 'INTERNAL'];

export const leakRouteSchema = {
  tags: ['leaks'],
  operationId: 'reportLeakedAccesskeys',
  summary: 'Report leaked tokens (secret-scanning partner endpoint)',
  description:
    'Needs no access key: the request is signed. `Github-Public-Key-Signature` is the base64 DER ECDSA P-256 / SHA-256 signature of the exact body, ' +
    'by the public key `Github-Public-Key-Identifier` names (the SHA-256 hex of the key\'s PEM, as GitHub names its keys) among those configured ' +
    'in `LEAK_REPORT_KEYS`. A missing, unknown or wrong signature, or a server without `LEAK_REPORT_KEYS`, is answered 401 and changes nothing. ' +
    'Every reported key of this server is disabled (`LEAK_POLICY=disable`, the default), deleted (`revoke`) or left as it is (`notify`); ' +
    'the report is recorded on the key and in the audit trail either way.',
  // The signature is the credential (a security scheme); the identifier names the key that made it.
  security: LEAK_SIGNATURE,
  headers: {
    type: 'object',
    required: ['github-public-key-identifier'],
    properties: {
      'github-public-key-identifier': { type: 'string', description: 'Which configured key signed the report: the SHA-256 hex of its PEM, as GitHub names its keys.' },
    },
  },
  body: ref('LeakReport'),
  response: {
    200: ref('LeakVerdicts'),
    ...errorResponses(REFUSED, [
      example(refusedReport('[{"token": ""}]'), 'A match breaks its rule'),
      BODY_TOO_LARGE('More than 1 MiB'),
      example(signatureRequired(), 'No signature'),
      example(signatureInvalid(), 'Unknown key, or a signature that does not match the body'),
      example(leakReportsDisabled(), 'No keys configured'),
    ]),
  },
};
