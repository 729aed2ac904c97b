import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020';
import { XLINK_ERRORS, defineXlinkErrors, xlinkOpenApiComponents } from 'xlink-errors';
import { names, type CatalogName } from './helpers/expected';

/** A whole OpenAPI 3.1 document, written as a user would, that uses the components. */
function documentWith(components: ReturnType<typeof xlinkOpenApiComponents>) {
  return {
    openapi: '3.1.0',
    info: { title: 'Devices', version: '1.0.0' },
    paths: {
      '/v2/device/{id}': {
        get: {
          operationId: 'getDevice',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            200: { description: 'The device', content: { 'application/json': { schema: { $ref: '#/components/schemas/Device' } } } },
            400: { $ref: '#/components/responses/XlinkError400' },
            403: { $ref: '#/components/responses/XlinkError403' },
            404: { $ref: '#/components/responses/XlinkError404' },
            503: { $ref: '#/components/responses/XlinkError503' },
          },
        },
      },
    },
    components: { ...components, schemas: { ...components.schemas, Device: { type: 'object', properties: { id: { type: 'integer' } } } } },
  };
}

test.each(['number', 'string'] as const)('a whole OpenAPI 3.1 document using the components is valid (codeFormat %s)', async (codeFormat) => {
  const result = await validate(documentWith(xlinkOpenApiComponents({ codeFormat })) as never);
  if (!result.valid) throw new Error(compileErrors(result));
  expect(result.valid).toBe(true);
});

test('one response per status, each listing every code of that status with its message', () => {
  const { responses, schemas } = xlinkOpenApiComponents();
  expect(Object.keys(responses)).toEqual(['XlinkError400', 'XlinkError403', 'XlinkError404', 'XlinkError503']);
  const listed = Object.values(responses).flatMap((r) => Object.entries(r.content['application/json'].examples));
  expect(listed.map(([name]) => name).sort()).toEqual([...names].sort());
  for (const [name, { value }] of listed) {
    const { code, msg } = XLINK_ERRORS[name as CatalogName];
    expect(value).toEqual({ error: { code, msg } });
  }
  expect(schemas.XlinkError404!.properties).toMatchObject({ error: { properties: { code: { enum: names.filter((n) => XLINK_ERRORS[n].status === 404).map((n) => XLINK_ERRORS[n].code) } } } });
});

test.each(['number', 'string'] as const)('the schemas accept what the handlers send and refuse other codes (codeFormat %s)', (codeFormat) => {
  const { schemas } = xlinkOpenApiComponents({ codeFormat });
  const ajv = new Ajv2020({ strict: false });
  const envelope = ajv.compile(schemas.XlinkError!);
  const of404 = ajv.compile(schemas.XlinkError404!);
  const wire = (code: number) => (codeFormat === 'string' ? String(code) : code);
  for (const name of names) expect(envelope({ error: { code: wire(XLINK_ERRORS[name].code), msg: XLINK_ERRORS[name].msg } })).toBe(true);
  expect(of404({ error: { code: wire(4041008), msg: 'Device does not exist' } })).toBe(true);
  expect(of404({ error: { code: wire(4001001), msg: 'x' } })).toBe(false);
  expect(envelope({ error: { code: wire(4001040), msg: 'x' } })).toBe(false);
  expect(envelope({ error: { code: codeFormat === 'string' ? 4041008 : '4041008', msg: 'x' } })).toBe(false);
  expect(envelope({ error: { code: wire(4041008), msg: 'x', extra: 1 } })).toBe(false);
});

test('each call returns a fresh object the caller may change', () => {
  const first = xlinkOpenApiComponents();
  first.responses.XlinkError404!.description = 'changed';
  expect(xlinkOpenApiComponents().responses.XlinkError404!.description).not.toBe('changed');
});

test('a bad codeFormat is a TypeError', () => {
  expect(() => xlinkOpenApiComponents({ codeFormat: 'text' as never })).toThrow(new TypeError(`xlinkOpenApiComponents: codeFormat must be 'number' or 'string', got "text"`));
});

test('the validator is not a rubber stamp: a response without its description is refused', async () => {
  const components = xlinkOpenApiComponents();
  delete (components.responses.XlinkError404 as { description?: string }).description;
  expect((await validate(documentWith(components) as never)).valid).toBe(false);
});

// Last: defining codes is process-wide (for this file's process).
test('codes defined with defineXlinkErrors are listed too, a new status gets its own response, and the document stays valid', async () => {
  defineXlinkErrors({
    ACCESS_TOKEN_EXPIRED: { code: 4031021, msg: 'Access-Token expired', msgZh: 'Access-Token过期' },
    DEVICE_BUSY: { code: 4091001, msg: 'Device is busy' },
  });
  const components = xlinkOpenApiComponents();
  expect(Object.keys(components.responses)).toEqual(['XlinkError400', 'XlinkError403', 'XlinkError404', 'XlinkError409', 'XlinkError503']);
  expect(components.responses.XlinkError403!.content['application/json'].examples.ACCESS_TOKEN_EXPIRED).toEqual({
    summary: '4031021 Access-Token expired',
    description: 'ACCESS_TOKEN_EXPIRED; zh-CN: Access-Token过期',
    value: { error: { code: 4031021, msg: 'Access-Token expired' } },
  });
  // Defined without msgZh: no Chinese text is claimed; a status with one code says that code.
  expect(components.responses.XlinkError409!.content['application/json'].examples.DEVICE_BUSY!.description).toBe('DEVICE_BUSY');
  expect(components.responses.XlinkError409!.description).toBe('Conflict: the Xlink error envelope; `code` is 4091001 (see the example).');
  expect(components.responses.XlinkError403!.description).toMatch(/`code` is one of \d+ codes \(see the examples\)\.$/);
  expect(components.schemas.XlinkError409!.properties).toMatchObject({ error: { properties: { code: { enum: [4091001] } } } });
  expect((components.schemas.XlinkError!.properties as { error: { properties: { code: { enum: number[] } } } }).error.properties.code.enum).toEqual(expect.arrayContaining([4031021, 4091001, 4041008]));
  const result = await validate(documentWith(components) as never);
  if (!result.valid) throw new Error(compileErrors(result));
});
