// Type tests of xlink-errors/web, written as docs/web.md writes the code: checked by `tsc`, never run.
import { xlinkError, xlinkFetchHandler, xlinkRequestJson, xlinkResponse, isXlinkError, type XlinkErrorCode, type XlinkResponseOptions } from 'xlink-errors/web';

// A Next.js route handler: the request type and the second argument survive the wrapping.
interface NextRequestLike extends Request {
  readonly nextUrl: URL;
}
export const GET = xlinkFetchHandler(async (request: NextRequestLike, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (id === '0') throw xlinkError('DEVICE_NOT_FOUND');
  return Response.json({ id, path: request.nextUrl.pathname });
});
export async function callsIt(request: NextRequestLike): Promise<Response> {
  // @ts-expect-error the context argument is required, as the handler declared it
  void GET(request);
  return GET(request, { params: Promise.resolve({ id: '1' }) });
}

// A Worker and Bun.serve: (request, env, ctx) and (request, server).
export default {
  fetch: xlinkFetchHandler(async (request: Request, env: { DB: string }) => {
    const body = await xlinkRequestJson(request, { limit: 1024 });
    // @ts-expect-error the body is unknown until it is validated
    void body.corp_id;
    return new Response(env.DB);
  }),
};

export function options(request: Request): Response {
  const hook = xlinkFetchHandler(() => new Response(), {
    locale: 'auto',
    codeFormat: 'string',
    map: (err) => (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined),
    // An inline hook: the request (or undefined), and the XlinkError with the literal codes.
    onError: (_err, xlinkErr, req) => {
      const code: XlinkErrorCode = xlinkErr.code;
      console.warn(code, req?.url);
    },
  });
  void hook;
  // @ts-expect-error a handler returns a Response
  xlinkFetchHandler(() => 'text');
  // @ts-expect-error codeFormat is 'number' or 'string'
  xlinkResponse(1, { codeFormat: 'text' });
  // @ts-expect-error map returns a catalog key, an XlinkError or undefined
  xlinkResponse(1, { map: () => 'DEVICE_MISSING' });
  // @ts-expect-error onError is synchronous
  xlinkFetchHandler(() => new Response(), { onError: async () => {} });
  // @ts-expect-error limit is a number of bytes
  void xlinkRequestJson(request, { limit: '100kb' });
  // @ts-expect-error an unknown name does not compile
  xlinkError('DEVICE_MISSING');
  const opts: XlinkResponseOptions = { request, locale: 'zh-CN' };
  const err: unknown = new Error();
  if (isXlinkError(err)) {
    const status: 400 | 403 | 404 | 503 | number = err.status;
    void status;
  }
  return xlinkResponse(err, opts);
}
