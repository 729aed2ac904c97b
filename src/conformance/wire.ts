/**
 * The checker's HTTP client: one request per connection over raw node:net, so that a probe can
 * send what node:http would refuse (malformed percent-encoding), read an answer that comes
 * before the body was sent (an early 413), see bytes after a HEAD answer's headers (a body on
 * HEAD), and tell a reset from a timeout from a refusal. Nothing here follows a redirect.
 */
import { connect, type Socket } from 'node:net';

/** A request exactly as it goes on the wire. */
export interface WireRequest {
  readonly method: string;
  /** The request-target, sent as it is (not normalised, not re-encoded). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /**
   * Send `Expect: 100-continue` and the body only after `100 Continue` (or a second without an
   * answer): a server that refuses the body can answer before any of it is sent.
   */
  readonly expectContinue?: boolean;
  /** Declare the body's length but send none of it: to hear what a server answers from the headers alone. */
  readonly withholdBody?: boolean;
}

/** What came back: an answer, or why there was none. */
export type WireResult =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      /** The body bytes (chunked transfer decoded); for HEAD, whatever followed the headers. */
      readonly body: Buffer;
      /** Whether the answer came before the whole request body was sent. */
      readonly early: boolean;
    }
  | { readonly kind: 'no-answer'; readonly reason: 'refused' | 'reset' | 'timeout' | 'closed' | 'malformed'; readonly detail: string };

/** Where to send and how long to wait. */
export interface WireTarget {
  readonly host: string;
  readonly port: number;
  /** Milliseconds for the whole exchange. */
  readonly timeout: number;
}

const CHUNK = 64 * 1024;
/** What is read of an answer at most: an error envelope is a few dozen bytes; a server that sends without end is cut off here. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Sends one request on a fresh connection (`Connection: close`) and reads the one answer. */
export function exchange(target: WireTarget, request: WireRequest): Promise<WireResult> {
  return new Promise((resolve) => {
    const body = request.body ?? Buffer.alloc(0);
    const socket: Socket = connect({ host: target.host, port: target.port });
    const received: Buffer[] = [];
    let receivedBytes = 0;
    /** Bytes of interim (1xx) answers at the start of what was received. */
    let interim = 0;
    let continueTimer: NodeJS.Timeout | undefined;
    let sent = 0;
    let done = false;
    const finish = (result: WireResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(continueTimer);
      socket.destroy();
      resolve(result);
    };
    const answerSoFar = (): WireResult | undefined => {
      const parsed = parseAnswer(Buffer.concat(received), request.method === 'HEAD', true);
      return parsed.kind === 'answer' ? { ...parsed, early: sent < body.length } : undefined;
    };
    const timer = setTimeout(() => {
      finish(answerSoFar() ?? { kind: 'no-answer', reason: 'timeout', detail: `no answer within ${target.timeout} ms (${sentText()})` });
    }, target.timeout);
    const sentText = () => (body.length === 0 ? 'the request was sent' : `${sent} of ${body.length} body bytes were sent`);

    socket.on('connect', () => {
      const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${hostHeader(target)}`, 'Connection: close'];
      for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
      if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
      const waitForContinue = request.expectContinue === true && body.length > 0;
      if (waitForContinue) lines.push('Expect: 100-continue');
      socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
      if (waitForContinue) continueTimer = setTimeout(writeBody, Math.min(1000, target.timeout / 4));
      else writeBody();
    });
    // The body goes a chunk at a time, each after the last was handed to the system and the
    // event loop has polled the socket, and stops as soon as an answer begins: a server may
    // answer early and close. Writing on would meet its reset (EPIPE), and Node drops a socket
    // whose write failed before reading the answer that had already arrived.
    const writeBody = () => {
      if (done || request.withholdBody === true || receivedBytes > interim || sent >= body.length || socket.destroyed) return;
      const chunk = body.subarray(sent, sent + CHUNK);
      sent += chunk.length;
      socket.write(chunk, () => setImmediate(writeBody));
    };
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      receivedBytes += chunk.length;
      const interimBefore = interim;
      interim = interimLength(Buffer.concat(received));
      if (interim > interimBefore && receivedBytes === interim && sent === 0) {
        clearTimeout(continueTimer);
        writeBody(); // 100 Continue: the body may go
      }
      if (receivedBytes > MAX_ANSWER_BYTES) {
        const parsed = parseAnswer(Buffer.concat(received).subarray(0, MAX_ANSWER_BYTES), request.method === 'HEAD', true);
        return finish(parsed.kind === 'answer' ? { ...parsed, early: sent < body.length } : { kind: 'no-answer', reason: 'malformed', detail: `more than ${MAX_ANSWER_BYTES} bytes without the end of the headers` });
      }
      // A HEAD answer is read to the close, so that a body sent after it is seen.
      if (request.method === 'HEAD') return;
      const parsed = parseAnswer(Buffer.concat(received), false, false);
      if (parsed.kind === 'answer') finish({ ...parsed, early: sent < body.length });
    });
    socket.on('end', () => {
      const interimOnly = receivedBytes === interim;
      finish(
        answerSoFar() ?? {
          kind: 'no-answer',
          reason: interimOnly ? 'closed' : 'malformed',
          detail: interimOnly
            ? `the server closed the connection without an answer${interim > 0 ? ' (after 100 Continue)' : ''} (${sentText()})`
            : `not an HTTP answer: ${JSON.stringify(Buffer.concat(received).subarray(interim, interim + 80).toString('latin1'))}`,
        },
      );
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const early = answerSoFar();
      if (early !== undefined) return finish(early);
      if (err.code === 'ECONNREFUSED') return finish({ kind: 'no-answer', reason: 'refused', detail: `connection refused at ${hostHeader(target)}` });
      finish({ kind: 'no-answer', reason: 'reset', detail: `${err.code ?? err.message}: the connection was reset before an answer (${sentText()})` });
    });
  });
}

/** How many bytes of interim (1xx) answers begin `bytes`. */
function interimLength(bytes: Buffer): number {
  let at = 0;
  while (/^HTTP\/1\.[01] 1\d\d\b/.test(bytes.subarray(at, at + 12).toString('latin1'))) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    at = end + 4;
  }
  return at;
}

function hostHeader(target: WireTarget): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

type Parsed = { kind: 'answer'; status: number; headers: Record<string, string>; body: Buffer } | { kind: 'incomplete' };

/**
 * Parses an HTTP/1.1 answer. `atEnd`: the connection is closed, so a body without a length ends
 * here; otherwise an answer is complete only when its length (or the last chunk) says so.
 */
export function parseAnswer(bytes: Buffer, head: boolean, atEnd: boolean): Parsed {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return { kind: 'incomplete' };
  const [statusLine = '', ...fields] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
  if (match === null) return { kind: 'incomplete' };
  const status = Number(match[1]);
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = Buffer.from(field.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = bytes.subarray(end + 4);
  // 1xx answers (100 Continue) come before the real one.
  if (status >= 100 && status < 200) {
    const next = parseAnswer(rest, head, atEnd);
    return next;
  }
  if (head || status === 204 || status === 304) return atEnd || !head ? { kind: 'answer', status, headers, body: head ? rest : Buffer.alloc(0) } : { kind: 'incomplete' };
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    const decoded = decodeChunked(rest);
    return decoded.complete || atEnd ? { kind: 'answer', status, headers, body: decoded.body } : { kind: 'incomplete' };
  }
  const length = headers['content-length'];
  if (length !== undefined && /^\d+$/.test(length)) {
    const n = Number(length);
    if (rest.length >= n) return { kind: 'answer', status, headers, body: rest.subarray(0, n) };
    return atEnd ? { kind: 'answer', status, headers, body: rest } : { kind: 'incomplete' };
  }
  return atEnd ? { kind: 'answer', status, headers, body: rest } : { kind: 'incomplete' };
}

/** The body of a chunked transfer, as far as it came, and whether its last chunk came. */
function decodeChunked(bytes: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    const size = lineEnd === -1 ? NaN : Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    parts.push(bytes.subarray(start, Math.min(start + size, bytes.length)));
    if (bytes.length < start + size + 2) return { body: Buffer.concat(parts), complete: false };
    at = start + size + 2;
  }
}
