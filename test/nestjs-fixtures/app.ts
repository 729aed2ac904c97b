// A fresh Nest 12 app using the packed package, as a strict TypeScript user writes it: copied to
// app.cts and app.mts by test/nestjs-pack.test.ts, compiled by tsc (experimentalDecorators) to
// CommonJS and to an ES module, and run on both platforms. Prints "ok" or throws.
import 'reflect-metadata';
import { Body, Controller, Get, Logger, Module, NotFoundException, Param, Post, ValidationPipe, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IsString, MinLength } from 'class-validator';
import { xlinkError, type XlinkErrorName } from 'xlink-errors';
import { ApiXlinkErrorResponses, XlinkExceptionFilter, xlinkValidationExceptionFactory } from 'xlink-errors/nestjs';

const secret = 'hunter2-db-password';

class LoginDto {
  @IsString() corp_id!: string;
  @IsString() @MinLength(6) password!: string;
}

@Controller('v2')
class DevicesController {
  @Get('errors/:name')
  @ApiXlinkErrorResponses('DEVICE_NOT_FOUND', 'SERVER_EXCEPTION')
  error(@Param('name') name: string): never {
    throw xlinkError(name as XlinkErrorName);
  }

  @Get('crash')
  crash(): never {
    throw new Error(secret);
  }

  @Get('nest-404')
  nest404(): never {
    throw new NotFoundException(secret);
  }

  @Post('user_auth')
  login(@Body() body: LoginDto) {
    return { corp_id: body.corp_id };
  }
}

@Module({ controllers: [DevicesController] })
class AppModule {}

function check(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function run(platform: 'express' | 'fastify'): Promise<void> {
  const errors: unknown[][] = [];
  const logger: LoggerService = { log: () => {}, warn: () => {}, error: (...args: unknown[]) => void errors.push(args) };
  const app = await NestFactory.create(AppModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger });
  app.useGlobalFilters(new XlinkExceptionFilter({ locale: 'auto' }));
  app.useGlobalPipes(new ValidationPipe({ exceptionFactory: xlinkValidationExceptionFactory }));
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  await app.listen(0, '127.0.0.1');
  try {
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const get = async (path: string, init?: RequestInit) => {
      const res = await fetch(base + path, init);
      return [res.status, res.headers.get('content-type'), await res.text()];
    };
    const json = 'application/json; charset=utf-8';
    check('a catalog entry', await get('/v2/errors/DEVICE_NOT_FOUND'), [404, json, '{"error":{"code":4041008,"msg":"Device does not exist"}}']);
    check('in Chinese', await get('/v2/errors/DEVICE_NOT_FOUND', { headers: { 'Accept-Language': 'zh-CN' } }), [404, json, '{"error":{"code":4041008,"msg":"设备不存在"}}']);
    check('an unknown route', await get('/nope'), [404, json, '{"error":{"code":4041001,"msg":"URL not found"}}']);
    check("Nest's NotFoundException", await get('/v2/nest-404'), [404, json, '{"error":{"code":4041001,"msg":"URL not found"}}']);
    check('a crash', await get('/v2/crash'), [503, json, '{"error":{"code":5031001,"msg":"Server exception"}}']);
    check('the crash logged once', errors.map((args) => (args[0] as Error).message), [secret]);
    const post = (body: string) => get('/v2/user_auth', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    check('a missing field', await post('{"corp_id":"c"}'), [400, json, '{"error":{"code":4001002,"msg":"Requested variable null."}}']);
    check('a short password', await post('{"corp_id":"c","password":"abc"}'), [400, json, '{"error":{"code":4001001,"msg":"Requested variable verification failed"}}']);
    check('bad JSON', await post('{"corp_id":'), [400, json, '{"error":{"code":4001001,"msg":"Requested variable verification failed"}}']);
    check('a valid login', await post('{"corp_id":"c","password":"secret1"}'), [201, 'application/json; charset=utf-8', '{"corp_id":"c"}']);
    const head = await fetch(`${base}/v2/errors/DEVICE_NOT_FOUND`, { method: 'HEAD' });
    check('HEAD', [head.status, head.headers.get('content-length'), await head.text()], [404, '56', '']);
    const responses = document.paths['/v2/errors/{name}']!.get!.responses as unknown as Record<string, { content: { 'application/json': { examples: object } } }>;
    check('swagger', [Object.keys(responses).sort(), Object.keys(responses[404]!.content['application/json'].examples)], [['404', '503'], ['DEVICE_NOT_FOUND']]);
    void Logger;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  await run('express');
  await run('fastify');
  console.log('ok');
}
main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
