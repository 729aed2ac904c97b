import { report } from './hooks.js';

/**
 * The package's middleware are made by factories (`xlinkErrorHandler()`, `xlinkNotFound()`...),
 * each taking at most one argument, its options. One called with more was mounted without being
 * called (`app.use(xlinkErrorHandler)`): the framework is calling it as the middleware, with its
 * own arguments (Express: req, res, next; Koa: ctx, next; Fastify: error, request, reply). That
 * would fail silently (Express hangs or shows its own error page, Koa answers 404 to everything),
 * so it is a `TypeError` saying how to call it, on the first request that reaches it.
 */
export function notCalledError(factory: string, usage: string): TypeError {
  return new TypeError(`xlink-errors: ${factory} is a factory, mounted here without being called: call it: ${usage}`);
}

/** Whether a factory got the arguments a framework calls middleware with, rather than its options. */
export function calledByFramework(args: IArguments): boolean {
  return args.length > 1;
}

const reported = new Set<string>();

/**
 * For a framework that does not catch what its hook throws (Fastify's `frameworkErrors` and
 * `clientErrorHandler`, where a throw would end the process): the mistake is reported to stderr,
 * once per factory, and the caller answers with the default options.
 */
export function reportNotCalled(factory: string, usage: string): void {
  if (reported.has(factory)) return;
  reported.add(factory);
  report('answered with the default options', notCalledError(factory, usage));
}
