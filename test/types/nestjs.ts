// Type tests for xlink-errors/nestjs, written the way a Nest app writes them (decorators, inline
// hooks); compiled by `npm run typecheck` (test/nestjs.tsconfig.json: experimentalDecorators).
import { Body, Controller, Get, Module, Param, Post, ValidationPipe, type INestApplication } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import type { Request } from 'express';
import type { FastifyRequest } from 'fastify';
import { xlinkError, type XlinkErrorCode } from 'xlink-errors';
import { ApiXlinkErrorResponses, XlinkExceptionFilter, xlinkValidationExceptionFactory, type XlinkNestValidationError } from 'xlink-errors/nestjs';

declare const app: INestApplication;

// Mounted as API.md shows; the default onError sees a request with Node's headers.
app.useGlobalFilters(new XlinkExceptionFilter());
app.useGlobalFilters(
  new XlinkExceptionFilter({
    locale: 'auto',
    codeFormat: 'string',
    map: (err) => (err instanceof RangeError ? 'PARAM_VERIFICATION_FAILED' : undefined),
    onError: (err, xlinkErr, req) => {
      const code: XlinkErrorCode = xlinkErr.code;
      const url: string = req.url;
      const lang: string | string[] | undefined = req.headers['accept-language'];
      void [err, code, url, lang];
    },
  }),
);
app.useGlobalPipes(new ValidationPipe({ exceptionFactory: xlinkValidationExceptionFactory }));

// The platform's own request for onError.
new XlinkExceptionFilter<Request>({ onError: (_err, _x, req) => void req.originalUrl });
new XlinkExceptionFilter<FastifyRequest>({ onError: (_err, _x, req) => void req.routeOptions.url });
// @ts-expect-error Fastify's request has no originalUrl
new XlinkExceptionFilter<FastifyRequest>({ onError: (_err, _x, req) => void req.originalUrl });

// @ts-expect-error an unknown codeFormat
new XlinkExceptionFilter({ codeFormat: 'hex' });
// @ts-expect-error an unknown locale
new XlinkExceptionFilter({ locale: 'fr' });
// @ts-expect-error onError is synchronous: an async hook does not compile
new XlinkExceptionFilter({ onError: async () => {} });
// @ts-expect-error map returns an XlinkError, a catalog key or undefined
new XlinkExceptionFilter({ map: () => 'DEVICE_NOT_FOUNDD' });

// The factory's error: its validation names properties and constraints.
const validation: XlinkNestValidationError = xlinkValidationExceptionFactory([]);
const property: string | undefined = validation.validation.errors[0]?.property;
const status: 400 = validation.status;
void [property, status];

class LoginDto {
  @IsString() corp_id!: string;
  @IsString() password!: string;
}

@Controller('v2')
@ApiXlinkErrorResponses('SERVER_EXCEPTION')
class DevicesController {
  @Get('device/:id')
  @ApiXlinkErrorResponses('DEVICE_NOT_FOUND', 4031003, '4001001')
  find(@Param('id') id: string) {
    if (id === '0') throw xlinkError('DEVICE_NOT_FOUND');
    return { id };
  }

  @Post('user_auth')
  // @ts-expect-error a misspelt name does not compile
  @ApiXlinkErrorResponses('PARAM_NUL')
  login(@Body() body: LoginDto) {
    return body;
  }
}

@Module({ controllers: [DevicesController], providers: [{ provide: APP_FILTER, useValue: new XlinkExceptionFilter() }] })
class AppModule {}

export async function main(): Promise<void> {
  const fastifyApp = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  fastifyApp.useGlobalFilters(new XlinkExceptionFilter<FastifyRequest>({ onError: (_e, x, req) => void [x.status, req.ip] }));
  await fastifyApp.listen(0);
}
