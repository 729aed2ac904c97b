// XlinkExceptionFilter and xlinkValidationExceptionFactory in real Nest 12 apps, on both
// platforms (platform-express, platform-fastify), listening on 127.0.0.1:0, through supertest.
import 'reflect-metadata';
import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpException,
  InternalServerErrorException,
  Module,
  NotFoundException,
  NotImplementedException,
  Param,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  ValidationPipe,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import createError from 'http-errors';
import request from 'supertest';
import { inspect } from 'node:util';
import { XLINK_ERRORS, isXlinkError, xlinkError, type XlinkErrorName } from 'xlink-errors';
import { xlinkFrameworkErrors } from 'xlink-errors/fastify';
import { XlinkExceptionFilter, xlinkValidationExceptionFactory, type XlinkNestOptions } from 'xlink-errors/nestjs';
import { expectXlinkError } from 'xlink-errors/testing';
import './helpers/app-errors';
import { expectedBody, names, type CatalogName } from './helpers/expected';
import { falsyRows, mappingRows, secret } from './helpers/mapping-rows';

/** What the route /throw throws next (tests of one file run one at a time). */
let thrown: () => unknown = () => xlinkError('DEVICE_NOT_FOUND');

/** Sets a header on either platform's response (Express's Response or Fastify's reply). */
function setHeader(res: { setHeader?: (n: string, v: string) => void; header?: (n: string, v: string) => void }, name: string, value: string): void {
  if (typeof (res as { code?: unknown }).code === 'function') res.header!(name, value);
  else res.setHeader!(name, value);
}
const rawOf = (res: { raw?: import('node:http').ServerResponse }) => (res.raw ?? res) as import('node:http').ServerResponse;

class ProfileDto {
  @IsString() name!: string;
}

class LoginDto {
  @IsString() corp_id!: string;
  @IsString() @MinLength(6) @MaxLength(16, { message: 'password $value is too long' }) password!: string;
  @IsOptional() @IsInt() age?: number;
  @IsOptional() @ValidateNested() @Type(() => ProfileDto) profile?: ProfileDto;
}

class TokenDto {
  @IsDefined() refresh_token!: string;
}

@Controller()
class DevicesController {
  @Get('errors/:key')
  error(@Param('key') key: string): never {
    throw xlinkError(key as XlinkErrorName);
  }

  @Get('throw')
  throwIt(): never {
    throw thrown();
  }

  @Get('ok')
  ok() {
    return { ok: true };
  }

  @Post('login')
  login(@Body() body: LoginDto) {
    return { corp_id: body.corp_id };
  }

  @Post('token')
  token(@Body() body: TokenDto) {
    return body;
  }

  @Get('headers')
  headers(@Res({ passthrough: true }) res: Parameters<typeof setHeader>[0]): never {
    setHeader(res, 'X-Request-Id', 'req-1');
    setHeader(res, 'Access-Control-Allow-Origin', '*');
    setHeader(res, 'Cache-Control', 'max-age=60');
    setHeader(res, 'ETag', '"abc"');
    setHeader(res, 'Content-Disposition', 'attachment; filename="a.bin"');
    setHeader(res, 'Content-Language', 'de');
    throw thrown();
  }

  @Get('partial')
  partial(@Res() res: { raw?: import('node:http').ServerResponse }): never {
    const raw = rawOf(res);
    raw.writeHead(200, { 'Content-Type': 'text/plain' });
    raw.write('partial');
    throw new Error(secret);
  }

  @Get('request-url')
  requestUrl(@Req() req: { url: string }): never {
    throw xlinkError('ACCESS_DENIED', { msg: `No access to ${req.url.length} chars` });
  }
}

@Module({ controllers: [DevicesController] })
class AppModule {}

/** Nest's log, captured: every app of this file logs here (Nest's Logger is one static instance). */
const logged: { level: string; args: unknown[] }[] = [];
const capture: LoggerService = {
  log: () => {},
  warn: (...args: unknown[]) => void logged.push({ level: 'warn', args }),
  error: (...args: unknown[]) => void logged.push({ level: 'error', args }),
};

const platforms = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;
type Platform = (typeof platforms)[number][0];

const quiet: XlinkNestOptions = { onError: () => {} };
const apps: INestApplication[] = [];

/** A listening Nest app on the platform, with the filter and the pipe mounted as the README shows. */
async function appFor(
  platform: Platform,
  options: XlinkNestOptions<never> | undefined = quiet,
  module: new () => object = AppModule,
  adapter = platforms.find(([name]) => name === platform)![1](),
): Promise<string> {
  const app = await NestFactory.create(module, adapter, { logger: capture });
  if (options !== null) app.useGlobalFilters(new XlinkExceptionFilter(options));
  app.useGlobalPipes(new ValidationPipe({ exceptionFactory: xlinkValidationExceptionFactory, forbidNonWhitelisted: true, whitelist: true }));
  await app.listen(0, '127.0.0.1');
  apps.push(app);
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

afterAll(async () => {
  for (const app of apps) await app.close();
});

describe.each(platforms.map(([name]) => name))('on platform-%s', (platform) => {
  let url: string, strings: string, logging: string;
  beforeAll(async () => {
    url = await appFor(platform);
    strings = await appFor(platform, { codeFormat: 'string', ...quiet });
    logging = await appFor(platform, {}); // the default onError
  });
  beforeEach(() => {
    logged.length = 0;
  });

  describe('every catalog entry', () => {
    test.each(names)('%s: status, JSON type, length and exact body', async (name) => {
      const res = await request(url).get(`/errors/${name}`);
      expect(res.status).toBe(XLINK_ERRORS[name].status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(expectedBody(name));
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    });

    test.each(names)("%s with codeFormat: 'string', by its code", async (name) => {
      const res = await request(strings).get(`/errors/${XLINK_ERRORS[name].code}`);
      expect([res.status, res.text]).toEqual([XLINK_ERRORS[name].status, expectedBody(name, 'string')]);
    });
  });

  describe('the default mapping, as Express, Koa and Fastify', () => {
    test.each([...mappingRows, ...falsyRows].map((r) => [r.title, r] as const))('%s', async (_title, row) => {
      thrown = row.thrown;
      const res = await request(url).get('/throw');
      expectXlinkError(res, row.expected);
      expect(JSON.stringify(res.headers)).not.toContain(secret);
    });
  });

  describe("Nest's own exceptions, by their status", () => {
    test.each<[string, () => unknown, CatalogName]>([
      ['NotFoundException', () => new NotFoundException(secret), 'URL_NOT_FOUND'],
      ['UnauthorizedException', () => new UnauthorizedException(secret), 'ACCESS_DENIED'],
      ['ForbiddenException', () => new ForbiddenException(), 'ACCESS_DENIED'],
      ['BadRequestException', () => new BadRequestException({ message: [secret] }), 'PARAM_VERIFICATION_FAILED'],
      ['ConflictException', () => new ConflictException(), 'PARAM_VERIFICATION_FAILED'],
      ['PayloadTooLargeException', () => new PayloadTooLargeException(), 'PARAM_VERIFICATION_FAILED'],
      ['HttpException 418 with a custom body', () => new HttpException({ teapot: secret }, 418), 'PARAM_VERIFICATION_FAILED'],
      ['InternalServerErrorException', () => new InternalServerErrorException(secret), 'SERVER_EXCEPTION'],
      ['NotImplementedException', () => new NotImplementedException(secret), 'SERVER_EXCEPTION'],
      ['ServiceUnavailableException', () => new ServiceUnavailableException(secret), 'SERVER_EXCEPTION'],
      ['HttpException with status 200', () => new HttpException(secret, 200), 'SERVER_EXCEPTION'],
    ])('%s', async (_title, make, expected) => {
      thrown = make;
      const res = await request(url).get('/throw');
      expectXlinkError(res, expected);
      expect(res.text).not.toContain(secret);
    });

    test("Nest's unknown-route 404, any method, is 404 4041001", async () => {
      for (const res of [await request(url).get('/no/such/url'), await request(url).post('/no/such/url').send({}), await request(url).delete('/ok')]) {
        expect([res.status, res.text]).toEqual([404, expectedBody('URL_NOT_FOUND')]);
      }
    });
  });

  describe('request bodies', () => {
    const post = (path: string, body: string, type = 'application/json') => request(url).post(path).set('Content-Type', type).send(body);

    test.each([
      ['a missing required field', '{"corp_id":"c"}', 4001002],
      ['a null field', '{"corp_id":"c","password":null}', 4001002],
      ['an empty object', '{}', 4001002],
      ['a missing field of a nested DTO', '{"corp_id":"c","password":"secret1","profile":{}}', 4001002],
      ['a too short password', '{"corp_id":"c","password":"abc"}', 4001001],
      ['a field of the wrong type', '{"corp_id":"c","password":"secret1","age":"x"}', 4001001],
      ['a wrong field of a nested DTO', '{"corp_id":"c","password":"secret1","profile":{"name":1}}', 4001001],
      ['a forbidden extra field, even null', '{"corp_id":"c","password":"secret1","extra":null}', 4001001],
    ])('a DTO failure, %s: 400 %s', async (_title, body, code) => {
      const res = await post('/login', body);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    test('a valid DTO is still 2xx', async () => {
      const res = await post('/login', '{"corp_id":"c","password":"secret1"}');
      expect([res.status, res.body]).toEqual([201, { corp_id: 'c' }]);
      expect((await request(url).get('/ok')).body).toEqual({ ok: true });
    });

    test('bad JSON is 400 4001001', async () => {
      const res = await post('/login', '{"corp_id":');
      expect([res.status, res.text]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
    });

    test('a body larger than the platform allows (Express 100 kB, Fastify 1 MB) is 400 4001001', async () => {
      const res = await post('/login', JSON.stringify({ corp_id: 'x'.repeat(1024 * 1024 + 1) }));
      expect([res.status, res.text]).toEqual([400, expectedBody('PARAM_VERIFICATION_FAILED')]);
    });

    test("a DTO's password appears nowhere: not in the response, err.validation, onError's view or the log", async () => {
      const seen: unknown[] = [];
      const app = await appFor(platform, { onError: (err, xlinkErr) => void seen.push(err, xlinkErr) });
      const password = `${secret}-too-long-for-the-dto`;
      const other = await request(app).post('/login').set('Content-Type', 'application/json').send(JSON.stringify({ corp_id: 'c', password }));
      expect([other.status, other.body.error.code]).toEqual([400, 4001001]);
      const err = seen[0] as { validation: { errors: { property: string; constraints: Record<string, string> }[] } };
      expect(isXlinkError(err)).toBe(true);
      expect(err.validation.errors).toEqual([{ property: 'password', constraints: { maxLength: 'password failed maxLength' } }]);
      expect(inspect(seen, { depth: 10, showHidden: true })).not.toContain(secret);
      expect(JSON.stringify(logged)).not.toContain(secret);
      expect(other.text).not.toContain(secret);
    });

    test('class-validator messages without the value are kept, nested properties are named by path', async () => {
      const seen: unknown[] = [];
      const app = await appFor(platform, { onError: (_err, xlinkErr) => void seen.push(xlinkErr) });
      await request(app).post('/login').set('Content-Type', 'application/json').send('{"password":"abc","profile":{"name":1}}');
      expect((seen[0] as { validation: unknown }).validation).toEqual({
        errors: [
          { property: 'corp_id', constraints: { isString: 'corp_id must be a string' } },
          { property: 'password', constraints: { minLength: 'password must be longer than or equal to 6 characters' } },
          { property: 'profile.name', constraints: { isString: 'name must be a string' } },
        ],
      });
    });
  });

  describe('HEAD', () => {
    test('a throwing route: the same status and headers as GET, and no body', async () => {
      thrown = () => xlinkError('DEVICE_NOT_FOUND');
      const get = await request(url).get('/throw');
      const head = await request(url).head('/throw');
      expect(head.status).toBe(404);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.headers['content-length']).toBe(get.headers['content-length']);
      expect(head.text).toBeUndefined();
    });

    test('an unknown route: 404, the same headers, no body', async () => {
      const get = await request(url).get('/no/such/url');
      const head = await request(url).head('/no/such/url');
      expect([head.status, head.headers['content-length'], head.text]).toEqual([404, get.headers['content-length'], undefined]);
    });
  });

  describe('the header policy', () => {
    test('a 503: headers set before stay, body headers go, Cache-Control is no-store, the reason phrase matches', async () => {
      thrown = () => new Error(secret);
      const res = await request(url).get('/headers');
      expect([res.status, res.text]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
      expect(res.headers).toMatchObject({ 'x-request-id': 'req-1', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      for (const name of ['etag', 'content-disposition', 'content-language']) expect(res.headers[name]).toBeUndefined();
      expect((res as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe('Service Unavailable');
    });

    test("an XlinkError's own headers are sent; a foreign error's pass the allow-list and never replace the app's", async () => {
      thrown = () => xlinkError('ACCESS_TOKEN_INVALID', { headers: { 'WWW-Authenticate': 'Access-Token', 'Retry-After': 5 } });
      const own = await request(url).get('/headers');
      expect(own.headers).toMatchObject({ 'www-authenticate': 'Access-Token', 'retry-after': '5', 'cache-control': 'max-age=60' });
      thrown = () => createError(401, { headers: { 'WWW-Authenticate': 'Basic', 'Set-Cookie': 'a=b', 'Access-Control-Allow-Origin': 'https://evil.example' } });
      const foreign = await request(url).get('/headers');
      expect([foreign.status, foreign.text]).toEqual([403, expectedBody('ACCESS_DENIED')]);
      expect(foreign.headers['www-authenticate']).toBe('Basic');
      expect(foreign.headers['set-cookie']).toBeUndefined();
      expect(foreign.headers['access-control-allow-origin']).toBe('*');
      expect((foreign as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe('Forbidden');
    });
  });

  test("locale: 'auto' answers in the client's language and says Vary: Accept-Language", async () => {
    const auto = await appFor(platform, { locale: 'auto', ...quiet });
    const zh = await request(auto).get('/errors/DEVICE_NOT_FOUND').set('Accept-Language', 'zh-CN,zh;q=0.9');
    expect(zh.body).toEqual({ error: { code: 4041008, msg: '设备不存在' } });
    expect(zh.headers.vary).toMatch(/Accept-Language/);
    expect((await request(auto).get('/errors/DEVICE_NOT_FOUND')).body.error.msg).toBe('Device does not exist');
    expect((await request(auto).get('/no/such/url').set('Accept-Language', 'zh')).body.error.code).toBe(4041001);
  });

  test('codes defined with defineXlinkErrors: their own status and envelope, codeFormat, and a 5xx that never leaks', async () => {
    expect(await request(url).get('/errors/DEVICE_BUSY').then((r) => [r.status, r.text])).toEqual([409, '{"error":{"code":4091001,"msg":"Device is busy"}}']);
    expect(await request(strings).get('/errors/4031021').then((r) => [r.status, r.text])).toEqual([403, '{"error":{"code":"4031021","msg":"Access-Token expired"}}']);
    thrown = () => xlinkError('DATABASE_UNAVAILABLE', { cause: new Error(secret) });
    const res = await request(url).get('/throw');
    expect([res.status, res.text, res.headers['cache-control']]).toEqual([500, '{"error":{"code":5001001,"msg":"Database unavailable"}}', 'no-store']);
  });

  describe('logging', () => {
    test("by default a 503 is logged once, with Nest's Logger under ExceptionsHandler, with the original error", async () => {
      const original = new Error(secret);
      thrown = () => original;
      const res = await request(logging).get('/throw');
      expect(res.status).toBe(503);
      expect(logged).toHaveLength(1);
      expect(logged[0]!.level).toBe('error');
      expect(logged[0]!.args[0]).toBe(original);
      expect(logged[0]!.args).toContain('ExceptionsHandler');
    });

    test('by default 4xx are not logged, XlinkErrors, HttpExceptions and DTO failures alike', async () => {
      thrown = () => new NotFoundException();
      await request(logging).get('/throw');
      await request(logging).get('/errors/DEVICE_NOT_FOUND');
      await request(logging).get('/no/such/url');
      await request(logging).post('/login').send({});
      expect(logged).toEqual([]);
    });

    test('onError sees the thrown value, the XlinkError and the platform request', async () => {
      const seen: unknown[][] = [];
      const app = await appFor(platform, { onError: (...args: unknown[]) => void seen.push(args) } as XlinkNestOptions<never>);
      thrown = () => new ConflictException();
      await request(app).get('/throw?x=1');
      const [err, xlinkErr, req] = seen[0] as [unknown, { code: number }, { url: string; raw?: unknown; originalUrl?: string }];
      expect(err).toBeInstanceOf(ConflictException);
      expect(xlinkErr.code).toBe(4001001);
      // Express's Request (originalUrl) or Fastify's request (raw).
      expect(platform === 'express' ? req.originalUrl : typeof req.raw).toBe(platform === 'express' ? '/throw?x=1' : 'object');
    });

    test('an onError or map that throws is reported to stderr and changes nothing', async () => {
      const stderr = jest.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const app = await appFor(platform, {
          onError: () => {
            throw new Error('hook broke');
          },
          map: () => {
            throw new Error('map broke');
          },
        });
        thrown = () => new NotFoundException();
        const res = await request(app).get('/throw');
        expect([res.status, res.text]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
        const reports = stderr.mock.calls.map((c) => String(c[0]));
        expect(reports).toEqual(expect.arrayContaining([expect.stringContaining('map() failed'), expect.stringContaining('onError hook threw')]));
      } finally {
        stderr.mockRestore();
      }
    });
  });

  test('map turns a foreign error into a catalog entry', async () => {
    class DeviceOffline extends Error {}
    const app = await appFor(platform, { map: (err) => (err instanceof DeviceOffline ? 'DEVICE_NOT_SUBSCRIBED' : undefined), ...quiet });
    thrown = () => new DeviceOffline();
    expectXlinkError(await request(app).get('/throw'), 'DEVICE_NOT_SUBSCRIBED');
  });

  test('headers already sent: nothing is written twice, the connection is ended, the 503 is still logged', async () => {
    const res = await request(logging)
      .get('/partial')
      .then(
        (r) => r.text,
        (err: Error) => `cut: ${err.message}`,
      );
    expect(res).not.toContain('"error"');
    expect(logged.map((l) => l.args[0])).toEqual([expect.objectContaining({ message: secret })]);
    expect((await request(logging).get('/ok')).status).toBe(200); // the server is still up
  });

  test('mounted as an APP_FILTER provider, it answers the same', async () => {
    @Module({ controllers: [DevicesController], providers: [{ provide: APP_FILTER, useValue: new XlinkExceptionFilter(quiet) }] })
    class ProvidedModule {}
    const app = await appFor(platform, null as never, ProvidedModule);
    expectXlinkError(await request(app).get('/errors/ACCESS_TOKEN_INVALID'), 'ACCESS_TOKEN_INVALID');
    expectXlinkError(await request(app).get('/no/such/url'), 'URL_NOT_FOUND');
  });
});

describe('the filter outside HTTP', () => {
  test.each(['rpc', 'ws', 'graphql'])('a %s context is left to Nest: the exception goes on unchanged (no such Nest package installed here: rethrown)', (type) => {
    const host = new ExecutionContextHost([{}, {}]);
    host.setType(type);
    const exception = new Error('rpc failure');
    expect(() => new XlinkExceptionFilter().catch(exception, host)).toThrow(exception);
  });
});

describe('bad input', () => {
  test.each([
    [{ codeFormat: 'hex' }, /^XlinkExceptionFilter: codeFormat must be 'number' or 'string'/],
    [{ locale: 'fr' }, /^XlinkExceptionFilter: locale must be/],
    [{ map: 'x' }, /^XlinkExceptionFilter: map must be a function/],
    ['strict', /^XlinkExceptionFilter: options must be an object/],
  ])('new XlinkExceptionFilter(%p) is a TypeError', (options, message) => {
    expect(() => new XlinkExceptionFilter(options as never)).toThrow(TypeError);
    expect(() => new XlinkExceptionFilter(options as never)).toThrow(message);
  });

  test('xlinkValidationExceptionFactory refuses what is not an array of errors', () => {
    expect(() => xlinkValidationExceptionFactory('x' as never)).toThrow(/^xlinkValidationExceptionFactory: expected class-validator's array/);
  });

  test('xlinkValidationExceptionFactory copes with odd entries and a value-less error', () => {
    const err = xlinkValidationExceptionFactory([null as never, { property: 'a b', constraints: { isDefined: 'a b should not be null or undefined' } }, { property: 'x', value: 'v', children: [{ property: '0', value: 1, constraints: { isString: 'must be a string' } }] }]);
    expect(err.code).toBe(4001002); // isDefined without a value: missing
    expect(err.validation.errors.map((e) => e.property)).toEqual(['*', 'x.0']);
  });
});

describe.each(platforms.map(([name]) => name))('hostile input on platform-%s', (platform) => {
  let url: string;
  beforeAll(async () => {
    // The default onError: what a 503 logs is checked. On Fastify, a malformed URL is answered
    // by the router before Nest's handlers, through Fastify's frameworkErrors option.
    const adapter = platform === 'fastify' ? new FastifyAdapter({ frameworkErrors: xlinkFrameworkErrors() }) : new ExpressAdapter();
    url = await appFor(platform, {}, AppModule, adapter);
  });
  beforeEach(() => {
    logged.length = 0;
  });
  const raw = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = require('node:net').connect(Number(port), hostname) as import('node:net').Socket;
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.end(text);
    });

  test.each([
    ['a malformed percent-encoding in a path parameter', '/errors/%E0%A4%A'],
    ['a lone percent sign', '/errors/%'],
  ])('%s: an Xlink envelope, not a crash', async (_title, path) => {
    const res = await request(url).get(path);
    expect([400, 404]).toContain(res.status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.body.error).sort()).toEqual(['code', 'msg']);
    expect((await request(url).get('/ok')).status).toBe(200);
  });

  test.each([
    ['a JSON body labelled text/plain', 'text/plain', '{"corp_id":'],
    ['an unsupported charset', 'application/json; charset=utf-7', '{"corp_id":"c"}'],
    ['an unknown media type', 'application/xml', '<a/>'],
  ])('%s: 400, the platform refusing it (4001001) or the DTO finding no fields (4001002), never a 503', async (_title, type, body) => {
    const res = await request(url).post('/login').set('Content-Type', type).send(body);
    expect(res.status).toBe(400);
    expect([4001001, 4001002]).toContain(res.body.error.code);
    expect(logged).toEqual([]);
  });

  test('absurd Accept-Language headers fall back to English', async () => {
    const auto = await appFor(platform, { locale: 'auto', ...quiet });
    for (const value of ['***', 'zh-CN;q=abc', Array.from({ length: 500 }, (_, i) => `x${i};q=0.${i % 10}`).join(',')]) {
      const res = await request(auto).get('/errors/DEVICE_NOT_FOUND').set('Accept-Language', value);
      expect([res.status, res.body.error.msg]).toEqual([404, 'Device does not exist']);
    }
  });

  test('a thrown Proxy whose traps throw: 503, logged, nothing leaked, still serving', async () => {
    const trap = () => {
      throw new Error(secret);
    };
    thrown = () => new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    const res = await request(url).get('/throw');
    expect([res.status, res.text]).toEqual([503, expectedBody('SERVER_EXCEPTION')]);
    expect(logged).toHaveLength(1);
    expect((await request(url).get('/ok')).status).toBe(200);
  });

  test('a route that set Transfer-Encoding and a Trailer before throwing: a clean envelope', async () => {
    thrown = () => new Error(secret);
    const answer = await raw('GET /headers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(answer.endsWith(`\r\n\r\n${expectedBody('SERVER_EXCEPTION')}`)).toBe(true);
  });

  test('pipelined requests each get their own answer', async () => {
    const answer = await raw('GET /errors/DEVICE_NOT_FOUND HTTP/1.1\r\nHost: x\r\n\r\nHEAD /no/such/url HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 404', 'HTTP/1.1 404', 'HTTP/1.1 200']);
    expect(answer.split(expectedBody('DEVICE_NOT_FOUND')).length).toBe(2);
    expect(answer).not.toContain(expectedBody('URL_NOT_FOUND'));
  });
});

test("platform-fastify without xlinkFrameworkErrors(): a malformed URL gets Fastify's own answer (the router's, before any Nest handler)", async () => {
  const url = await appFor('fastify');
  const res = await request(url).get('/errors/%');
  expect([res.status, res.body.code]).toEqual([400, 'FST_ERR_BAD_URL']);
});
