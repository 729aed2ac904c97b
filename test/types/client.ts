// Type tests of xlink-errors/client: checked by `tsc` (npm run typecheck), never run. Written the
// way docs/client.md writes the code: inline callbacks, `catch (err)` narrowed by the guard.
import express from 'express';
import { xlinkErrorHandler, type XlinkError } from 'xlink-errors';
import {
  createXlinkClient,
  isXlinkResponseError,
  parseXlinkError,
  relayXlinkError,
  XlinkResponseError,
  type XlinkClient,
  type XlinkErrorCode,
  type XlinkErrorName,
} from 'xlink-errors/client';
import { xlinkErrorHandler as xlinkKoaErrorHandler } from 'xlink-errors/koa';
import xlinkErrors from 'xlink-errors/fastify';
import Fastify from 'fastify';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

const session = { access_token: 'a', refresh_token: 'r' };
const client = createXlinkClient({
  baseUrl: 'https://api2.xlink.cn',
  accessToken: session.access_token,
  refresh: async (err) => {
    assertType<Equal<typeof err, XlinkResponseError>>();
    const renewed = await client.request<{ access_token: string }>('POST', '/v2/user/token/refresh', { json: { refresh_token: session.refresh_token }, refresh: false });
    return renewed.access_token;
  },
});
assertType<Equal<typeof client, XlinkClient>>();

// A switch over errorName is checked against the catalog (and the registered codes).
export async function deviceProperties(productId: string, deviceId: number) {
  try {
    return await client.request<Record<string, unknown>>('GET', `/v2/product/${productId}/device/${deviceId}/property`, {
      query: { fields: ['a', 'b'], limit: 10, all: true, skip: undefined },
      headers: { 'X-Request-Id': 'r1' },
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    if (!isXlinkResponseError(err)) throw err; // network failure, abort
    assertType<Equal<typeof err.status, number>>();
    assertType<Equal<typeof err.code, XlinkErrorCode | undefined>>();
    assertType<Equal<typeof err.errorName, XlinkErrorName | undefined>>();
    assertType<Equal<typeof err.msg, string | undefined>>();
    assertType<Equal<typeof err.response, Response | undefined>>();
    switch (err.errorName) {
      case 'DEVICE_NOT_FOUND':
        return undefined;
      case 'ACCESS_TOKEN_INVALID':
      case 'ACCESS_TOKEN_REQUIRED':
        throw new Error('log in again');
      case 'ACCESS_TOKEN_EXPIRED': // registered by test/helpers/app-errors.ts
        throw err;
      // @ts-expect-error a misspelt name does not compile
      case 'DEVICE_NOT_FOND':
        return null;
      case undefined:
        throw new Error(`not an Xlink answer: ${err.message}`);
      default:
        throw err;
    }
  }
}

// Codes compare as the catalog's; a code that is not one does not compile.
export function isMissing(err: XlinkResponseError): boolean {
  // @ts-expect-error 4041999 is no known code
  void (err.code === 4041999);
  return err.code === 4041008;
}

// A narrowed error keeps its literal code.
declare const found: XlinkResponseError<'DEVICE_NOT_FOUND'>;
assertType<Equal<typeof found.code, 4041008 | undefined>>();
assertType<Equal<typeof found.errorName, 'DEVICE_NOT_FOUND' | undefined>>();

// parseXlinkError: a promise for a Response, the error itself for an answer already read.
declare const response: Response;
const fromResponse = parseXlinkError(response);
assertType<Equal<typeof fromResponse, Promise<XlinkResponseError | undefined>>>();
const fromAnswer = parseXlinkError({ status: 404, body: { error: { code: 4041008, msg: 'Device does not exist' } } });
assertType<Equal<typeof fromAnswer, XlinkResponseError | undefined>>();
parseXlinkError({ status: 502, text: '<html></html>', contentType: 'text/html' });
// @ts-expect-error a status is required
parseXlinkError({ body: {} });

// request resolves to what the caller says (unknown by default).
const untyped = client.request('GET', '/v2/user/1');
assertType<Equal<typeof untyped, Promise<unknown>>>();
// @ts-expect-error unknown request options do not compile
client.request('GET', '/x', { body: '{}' });
// @ts-expect-error a baseUrl is required
createXlinkClient({ accessToken: 'x' });
// @ts-expect-error refresh resolves to the new token, a string
createXlinkClient({ baseUrl: 'https://x', refresh: async () => 42 });
// @ts-expect-error accessToken is a string
createXlinkClient({ baseUrl: 'https://x', accessToken: 42 });

// relayXlinkError is a map, on every adapter, alone or beside a mapping of one's own.
const relayed = relayXlinkError(new Error('x'));
assertType<Equal<typeof relayed, XlinkError | undefined>>();
express().use(xlinkErrorHandler({ map: relayXlinkError }));
express().use(xlinkErrorHandler({ map: (err) => relayXlinkError(err) ?? (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined) }));
export const koaHandler = xlinkKoaErrorHandler({ map: relayXlinkError });
void Fastify().register(xlinkErrors, { map: relayXlinkError });
