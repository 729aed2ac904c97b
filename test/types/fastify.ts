// Type tests of xlink-errors/fastify, written as the README writes the code: checked by `tsc`, never run.
import Fastify, { type FastifyRequest } from 'fastify';
import { xlinkOpenApiComponents, type XlinkErrorCode } from 'xlink-errors';
import xlinkErrors, { xlinkErrors as named, type XlinkFastifyOptions } from 'xlink-errors/fastify';

export async function typed(): Promise<void> {
  const app = Fastify({ logger: true });
  await app.register(xlinkErrors, {
    locale: 'auto',
    codeFormat: 'string',
    map: (err) => (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined),
    // An inline hook: the request is Fastify's, the XlinkError carries the literal codes.
    onError: (_err, xlinkErr, request) => {
      const code: XlinkErrorCode = xlinkErr.code;
      const req: FastifyRequest = request;
      req.log.error({ code }, 'failed');
    },
  });
  await app.register(named);
  const options: XlinkFastifyOptions = { locale: 'zh-CN' };
  await app.register(xlinkErrors, options);
  // @ts-expect-error codeFormat is 'number' or 'string'
  await app.register(xlinkErrors, { codeFormat: 'text' });
  // @ts-expect-error map returns a catalog key, an XlinkError or undefined
  await app.register(xlinkErrors, { map: () => 'DEVICE_MISSING' });
  const { responses } = xlinkOpenApiComponents();
  const ref: string = responses.XlinkError404!.content['application/json'].schema.$ref;
  void ref;
}
