/**
 * A JSON body reader for the Koa example, as Xlink clients need: it parses JSON whatever the
 * Content-Type says (or none), up to a size limit. Bad JSON or too much of it is a 400 (which
 * the handler answers as 4001001); an empty body leaves `ctx.request.body` undefined.
 */
import createError from 'http-errors';
import type { Middleware } from 'koa';

export function jsonBody({ limit = 100 * 1024 } = {}): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'DELETE') {
      const declared = Number(ctx.get('Content-Length') || 0);
      if (declared > limit) throw createError(413, 'request entity too large');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw createError(413, 'request entity too large');
        chunks.push(chunk);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() !== '') {
        try {
          (ctx.request as { body?: unknown }).body = JSON.parse(text);
        } catch {
          throw createError(400, 'invalid JSON');
        }
      }
    }
    await next();
  };
}
