/**
 * How the user's hooks (`map`, `onError`) are contained: they are synchronous by contract; one
 * that throws, or returns a promise that rejects, is reported to stderr and changes nothing
 * else (no unhandled rejection, no crash).
 */

/** Prints a report to stderr; never throws. */
export function report(what: string, detail: unknown): void {
  try {
    console.error(`xlink-errors: ${what}:`, detail);
  } catch {
    // stderr itself failed (closed pipe, hostile value): nothing more can be done
  }
}

/** Whether a hook's result is a promise (or any thenable). May throw on a hostile value. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Handles the rejection of a promise a synchronous hook returned: reported to stderr, so that it
 * is never an unhandled rejection (which ends a Node process by default). Never throws.
 */
export function containRejection(thenable: PromiseLike<unknown>, what: string): void {
  try {
    thenable.then(undefined, (reason: unknown) => report(what, reason));
  } catch (failure) {
    report(what, failure); // a thenable whose then() throws
  }
}

/**
 * Calls the `onError` hook: what it throws, or the rejection of a promise it returns, is
 * reported to stderr and changes nothing on the wire.
 */
export function callOnError<Ctx, E>(onError: (err: unknown, xlinkErr: E, reqOrCtx: Ctx) => unknown, thrown: unknown, error: E, reqOrCtx: Ctx): void {
  try {
    const returned = onError(thrown, error, reqOrCtx);
    if (isThenable(returned)) containRejection(returned, 'the promise returned by onError rejected (onError is synchronous: what it starts must handle its own failures)');
  } catch (hookFailure) {
    report('onError hook threw', hookFailure);
  }
}
