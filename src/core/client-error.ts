import { XlinkError } from './error.js';
import { statusText } from './header-policy.js';
import { checkOptions, type XlinkHandlerOptions } from './respond.js';
import { bodyOf } from './wire.js';

/** The parts of a Node socket a client-error handler uses (`net.Socket`, as `clientError` gives it). */
export interface XlinkClientSocket {
  readonly destroyed: boolean;
  readonly writable: boolean;
  end(chunk: string, encoding: 'latin1'): unknown;
  destroy(err?: Error): unknown;
}

/** A client-error handler: `(err, socket)`, as Node's `clientError` event and Fastify's `clientErrorHandler` call it. */
export type XlinkClientErrorHandler = (err: unknown, socket: XlinkClientSocket) => void;

/**
 * Answers a request Node's HTTP parser refused (a bad method, a header line without a colon,
 * headers over the size limit, a broken chunked body...) before any framework saw it: 400
 * 4001001 as an envelope, written on the socket, which then closes (the parser can't go on).
 * Every such failure is the client's: any 4xx is 400 4001001 by the default mapping. `codeFormat`
 * and `locale` apply; `'auto'` has no request to negotiate from, so it is English.
 * The response is made once, here; a socket reset or already gone is left alone.
 */
export function createClientErrorHandler(options: Pick<XlinkHandlerOptions, 'codeFormat' | 'locale'> | undefined): XlinkClientErrorHandler {
  const { codeFormat = 'number', locale = 'en' } = checkOptions(options);
  const body = bodyOf(new XlinkError('PARAM_VERIFICATION_FAILED', { stack: false }), codeFormat, locale === 'zh-CN' ? 'zh-CN' : 'en');
  // One-byte text, as the body's own `text`: the whole response in one write.
  const response = `HTTP/1.1 400 ${statusText(400)}\r\n${body.head[0]}: ${body.head[1]}\r\n${body.head[2]}: ${body.head[3]}\r\nConnection: close\r\n\r\n${body.text}`;
  return function xlinkClientErrorHandler(err, socket) {
    try {
      if ((err as { code?: unknown } | null)?.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.end(response, 'latin1');
      else socket.destroy();
    } catch {
      // a socket that fails as it is written to: nothing more can be done for this client
    }
  };
}
