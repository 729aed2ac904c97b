import { findCatalogRecord } from '../core/catalog.js';
import type { XlinkError } from '../core/error.js';
import { publishedXlinkErrorFactory } from '../core/error-factory.js';
import { isXlinkResponseError } from './error.js';

/**
 * For a server's `map` option: an upstream's `XlinkResponseError` with a known code becomes the
 * same `XlinkError` for this server's own client (an upstream 404 4041008 is answered 404 4041008,
 * not 404 4041001 "URL not found"). The upstream's message is kept when it is its own text; a
 * catalog message is left to this server's `locale`; a 5xx still sends only `Server exception`.
 * The upstream error is the `cause`. Anything else gives `undefined`: the default mapping.
 *
 * @example
 * app.use(xlinkErrorHandler({ map: relayXlinkError }));
 * // or, beside a mapping of your own:
 * app.use(xlinkErrorHandler({ map: (err) => relayXlinkError(err) ?? myMap(err) }));
 */
export function relayXlinkError(err: unknown): XlinkError | undefined {
  if (!isXlinkResponseError(err)) return undefined;
  const { code, msg } = err;
  const record = findCatalogRecord(code);
  if (record === undefined) return undefined;
  const make = publishedXlinkErrorFactory();
  if (make === undefined) {
    throw new TypeError("relayXlinkError: makes this server's XlinkError, so it needs the server side of xlink-errors loaded (import from 'xlink-errors' or one of its adapters)");
  }
  // A catalog text (in either language) is the catalog's to send, in this server's locale.
  const own = record.status < 500 && typeof msg === 'string' && msg !== record.msg && msg !== record.msgZh;
  return make(record.code, own ? { msg, cause: err, stack: false } : { cause: err, stack: record.status >= 500 });
}
