// ApiXlinkErrorResponses: the responses it documents in the document @nestjs/swagger generates.
import 'reflect-metadata';
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { xlinkOpenApiComponents } from 'xlink-errors';
import { ApiXlinkErrorResponses } from 'xlink-errors/nestjs';
import './helpers/app-errors';

@Controller('v2/device')
@ApiXlinkErrorResponses('SERVER_EXCEPTION')
class DevicesController {
  @Get(':id')
  @ApiXlinkErrorResponses('DEVICE_NOT_FOUND', 'ACCESS_TOKEN_INVALID', 4031003, 'USER_NOT_FOUND')
  find(@Param('id') id: string) {
    return { id };
  }

  @Get(':id/busy')
  @ApiXlinkErrorResponses('DEVICE_BUSY', '4041008')
  busy() {
    return {};
  }
}

@Module({ controllers: [DevicesController] })
class AppModule {}

let app: INestApplication, document: OpenAPIObject;
beforeAll(async () => {
  app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Devices').build());
});
afterAll(() => app.close());

type Responses = Record<string, { description: string; content: { 'application/json': { schema: { properties: { error: { properties: { code: { enum: number[] } } } } }; examples: Record<string, { value: unknown }> } } }>;
const responsesOf = (path: string) => document.paths[path]!.get!.responses as unknown as Responses;
const codesOf = (responses: Responses, status: number) => responses[status]!.content['application/json'].schema.properties.error.properties.code.enum;

test('one response per status listed, each with the envelope schema restricted to its codes', () => {
  const responses = responsesOf('/v2/device/{id}');
  expect(Object.keys(responses).sort()).toEqual(['403', '404', '503']); // Nest documents no default 200 once responses are declared
  expect(codesOf(responses, 403)).toEqual([4031003]); // a name and its code, listed twice: once
  expect(codesOf(responses, 404).sort()).toEqual([4041008, 4041011].sort());
  expect(codesOf(responses, 503)).toEqual([5031001]); // from the controller
});

test("examples and descriptions are xlinkOpenApiComponents()' own", () => {
  const components = xlinkOpenApiComponents();
  const responses = responsesOf('/v2/device/{id}');
  const examples = responses[404]!.content['application/json'].examples;
  expect(Object.keys(examples)).toEqual(['DEVICE_NOT_FOUND', 'USER_NOT_FOUND']);
  expect(examples.DEVICE_NOT_FOUND).toEqual(components.responses.XlinkError404!.content['application/json'].examples.DEVICE_NOT_FOUND);
  expect(examples.DEVICE_NOT_FOUND!.value).toEqual({ error: { code: 4041008, msg: 'Device does not exist' } });
  expect(responses[404]!.description).toMatch(/^Not Found: the Xlink error envelope; `code` is one of 2 codes/);
  const schema = responses[403]!.content['application/json'].schema as unknown as { required: string[]; additionalProperties: boolean };
  expect([schema.required, schema.additionalProperties]).toEqual([['error'], false]);
});

test('codes defined with defineXlinkErrors are documented with their own status', () => {
  const responses = responsesOf('/v2/device/{id}/busy');
  expect(codesOf(responses, 409)).toEqual([4091001]);
  expect(responses[409]!.content['application/json'].examples.DEVICE_BUSY!.value).toEqual({ error: { code: 4091001, msg: 'Device is busy' } });
  expect(codesOf(responses, 404)).toEqual([4041008]);
});

test('an unknown name or code is a TypeError when the decorator is made', () => {
  expect(() => ApiXlinkErrorResponses('DEVICE_NOT_FOUNDD' as never)).toThrow(/^ApiXlinkErrorResponses: unknown Xlink error 'DEVICE_NOT_FOUNDD'.*DEVICE_NOT_FOUND/);
  expect(() => ApiXlinkErrorResponses(4049999 as never)).toThrow(TypeError);
});
