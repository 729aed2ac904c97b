import { XlinkError } from './error.js';
import { xlinkErrorForStatus } from './map.js';

/**
 * The error for a request no route answered, every adapter alike: an unknown path is 404
 * 4041001, and so is a method no route implements. Express and Fastify answer such a method as an
 * unknown route already; Koa's `router.allowedMethods()` sets 501 Not Implemented for it (no body),
 * which mapped as a status would be a 503 that anyone could provoke at will, so a 501 left by a
 * router is 404 too. Any other status left without a body (the router's 405) is mapped as if it
 * had been thrown (405 -> 400 4001001). A 501 the application throws is no business of this
 * function: thrown errors go through `toXlinkError()`, and stay 503.
 *
 * @param status the status the framework or a router left, or none for an unknown route
 */
export function unansweredError(status = 404): XlinkError {
  return status === 404 || status === 501 ? new XlinkError('URL_NOT_FOUND', { stack: false }) : xlinkErrorForStatus(status);
}
