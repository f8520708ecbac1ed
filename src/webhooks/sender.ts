import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteral } from './ssrf';
import type { ReachPolicy } from './ssrf';

/** The most of an answer's body read; the rest is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The most of it kept on the delivery. */
export const KEPT_RESPONSE_BYTES = 1024;

export interface SendResult {
  /** The HTTP status, or `null` when there was no answer. */
  readonly statusCode: number | null;
  /** Why there was no (good) answer: a timeout, a refused address, a network error. */
  readonly error: string | null;
  /** The first 1 KiB of the body. */
  readonly response: string | null;
}

export interface SendRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * POSTs one delivery with node's own client: the address checked as the
 * connection is made (DNS rebinding), connecting bounded by `timeoutMs` and the
 * whole answer again by `timeoutMs`, at most 64 KiB read, redirects not followed
 * (a 3xx is a failed attempt). Never throws: every failure is a result.
 */
export function send(req: SendRequest, policy: ReachPolicy, timeoutMs: number, signal?: AbortSignal): Promise<SendResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return resolve({ statusCode: null, error: 'invalid URL', response: null });
    }
    const literal = refusedLiteral(url, policy);
    if (literal) return resolve({ statusCode: null, error: `refused: ${literal}`, response: null });
    if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
      return resolve({ statusCode: null, error: 'refused: not an https: URL', response: null });
    }
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...req.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(req.body)), 'user-agent': 'accesskeyd-webhooks' },
      lookup: guardedLookup(policy),
      agent: false,
    });
    const connectTimer = setTimeout(() => finish({ statusCode: null, error: `timed out connecting after ${timeoutMs} ms`, response: null }), timeoutMs);
    let answerTimer: NodeJS.Timeout | undefined;
    const onAbort = () => finish({ statusCode: null, error: 'cancelled: the server is stopping', response: null });
    signal?.addEventListener('abort', onAbort);
    request.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        answerTimer = setTimeout(() => finish({ statusCode: null, error: `timed out waiting for the answer after ${timeoutMs} ms`, response: null }), timeoutMs);
      };
      if (!socket.connecting) connected();
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    request.on('error', (err: NodeJS.ErrnoException) => finish({ statusCode: null, error: err.message || err.code || 'network error', response: null }));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const body = Buffer.concat(chunks);
        finish({ statusCode: res.statusCode ?? null, error: null, response: body.subarray(0, KEPT_RESPONSE_BYTES).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        else done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    request.end(req.body);
  });
}
