// xlink-errors/client: the other side of the contract, on fetch (Node 20+, browsers, Bun, Deno).
// Nothing on this path imports a Node built-in or needs `require` (test/client-entry.test.ts).
export { XlinkResponseError, isXlinkResponseError, parseXlinkError, type XlinkAnswer } from './error.js';
export {
  createXlinkClient,
  type XlinkClient,
  type XlinkClientOptions,
  type XlinkFetch,
  type XlinkQuery,
  type XlinkRequestOptions,
} from './client.js';
export { relayXlinkError } from './relay.js';
// What a client needs to name errors and teach it a server's own codes: the same catalog and
// registry as the root entry's, not copies.
export { XLINK_ERRORS, type XlinkErrorCode, type XlinkErrorName, type XlinkErrorRegister } from '../core/catalog.js';
export { defineXlinkErrors } from '../core/define.js';
