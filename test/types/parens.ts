// Type tests: a factory mounted without its parentheses does not compile where the framework's
// types allow it: Fastify's. Express's app.use() accepts any `(err: any, ...)` function, and
// Koa's infers a context type from whatever it is given, so there the mistake is caught at run
// time, on the first request (test/parens.test.ts).
import Fastify from 'fastify';
import Koa from 'koa';
import { xlinkClientErrorHandler, xlinkFrameworkErrors } from 'xlink-errors/fastify';
import { xlinkErrorHandler } from 'xlink-errors/koa';

const app = new Koa();
app.use(xlinkErrorHandler());
app.use(xlinkErrorHandler({ onError: (_err, xlinkErr, ctx) => void [xlinkErr.code, ctx.path] }));

// @ts-expect-error call it: xlinkFrameworkErrors()
Fastify({ frameworkErrors: xlinkFrameworkErrors });
// @ts-expect-error call it: xlinkClientErrorHandler()
Fastify({ clientErrorHandler: xlinkClientErrorHandler });
export const fastifyApp = Fastify({ frameworkErrors: xlinkFrameworkErrors(), clientErrorHandler: xlinkClientErrorHandler({ codeFormat: 'string' }) });
