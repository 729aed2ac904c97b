/**
 * Egg.js (egg 4), with the Koa handler placed as docs/koa.md's recipe places it: inserted into
 * Egg's `coreMiddleware` right after `notfound`, by `app.js`'s `configWillLoad`
 * (test/fixtures/egg-app). Real Egg apps, started as Egg's single-process mode starts them
 * (`startEgg`) and served as Egg's app worker serves them (`http.createServer(app.callback())`
 * once the app is ready), on port 0; the second app is the same with CSRF protection off.
 *
 * Not @eggjs/mock's `createApp`: it makes its server before the plugins load, which installs
 * Koa's own default `error` listener beside Egg's (a 503 would print twice there, and only there).
 */
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { startEgg, type Application } from 'egg';
import request from 'supertest';
import { XLINK_ERRORS, type XlinkErrorName } from 'xlink-errors';
import { expectXlinkError } from 'xlink-errors/testing';
import { names } from './helpers/expected';
import { mappingRows, secret } from './helpers/mapping-rows';

const fixtures = join(__dirname, 'fixtures');

/** A started fixture app, its server, and what the test puts on it for `GET /v2/thrown` to throw. */
interface FixtureApp {
  readonly egg: Application & { nextThrown?: () => unknown; agent?: { close(): Promise<void> } };
  readonly server: Server;
}

async function start(name: string): Promise<FixtureApp> {
  const egg = (await startEgg({ baseDir: join(fixtures, name), env: 'unittest' })) as FixtureApp['egg'];
  const server = createServer(egg.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { egg, server };
}

async function stop(target: FixtureApp | undefined): Promise<void> {
  if (target === undefined) return;
  await new Promise((resolve) => target.server.close(resolve));
  await target.egg.close();
  await target.egg.agent?.close();
}

let app: FixtureApp;
let csrfOff: FixtureApp;
let stderr: jest.SpyInstance;
let consoleError: jest.SpyInstance;

beforeAll(async () => {
  [app, csrfOff] = await Promise.all([start('egg-app'), start('egg-app-csrf-off')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([stop(app), stop(csrfOff)]);
  rmSync(join(tmpdir(), 'xlink-errors-egg', String(process.pid)), { recursive: true, force: true }); // the fixture's logs
});

beforeEach(() => {
  // Nothing of a passing run reaches the console: Egg logs to its loggers (read below with
  // mockLog), and the recipe leaves the 503 log to Egg.
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  expect(consoleError).not.toHaveBeenCalled();
  expect(stderr).not.toHaveBeenCalled();
  stderr.mockRestore();
  consoleError.mockRestore();
});

function http(target: FixtureApp) {
  return request(target.server);
}

/** Watches Egg's error logger (common-error.log; it still writes): the entries logged from now on that mention `mark`. */
function errorLog(target: FixtureApp): (mark: string) => unknown[][] {
  const logger = target.egg.getLogger('errorLogger');
  const log = jest.spyOn(logger, 'log');
  return (mark) => {
    const entries = log.mock.calls.filter((call) => inspect(call).includes(mark));
    log.mockRestore();
    return entries;
  };
}

test('the recipe puts the handler right after notfound, before the body parser and the security middleware', () => {
  const order = app.egg.config.coreMiddleware;
  expect(order.indexOf('xlinkErrors')).toBe(order.indexOf('notfound') + 1);
  expect(order.indexOf('xlinkErrors')).toBeLessThan(order.indexOf('bodyParser'));
  expect(order.indexOf('xlinkErrors')).toBeLessThan(order.indexOf('securities'));
});

describe('errors thrown in routes', () => {
  test('a thrown XlinkError is its envelope', async () => {
    const res = await http(app).get('/v2/device/7');
    expectXlinkError(res, 'DEVICE_NOT_FOUND');
    expect(res.text).toBe('{"error":{"code":4041008,"msg":"Device does not exist"}}');
  });

  test.each(names)('catalog entry %s', async (name) => {
    const res = await http(app).get(`/v2/catalog/${name}`);
    expectXlinkError(res, name as XlinkErrorName);
    expect(res.status).toBe(XLINK_ERRORS[name].status);
  });

  test.each(mappingRows.map((row) => [row.title, row] as const))('mapping row: %s', async (_title, row) => {
    app.egg.nextThrown = row.thrown;
    const res = await http(app).get('/v2/thrown');
    expectXlinkError(res, row.expected);
    expect(res.text).not.toContain(secret);
  });

  test('HEAD gets the status and headers, no body', async () => {
    const res = await http(app).head('/v2/device/7');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text ?? '').toBe('');
  });
});

test('an unknown route is 404 4041001, not Egg\'s own 404 (HTML, or {"message":"Not Found"} for JSON)', async () => {
  expectXlinkError(await http(app).get('/v2/nowhere'), 'URL_NOT_FOUND');
  expectXlinkError(await http(app).get('/v2/nowhere').set('Accept', 'application/json'), 'URL_NOT_FOUND');
  const head = await http(app).head('/v2/nowhere');
  expect(head.status).toBe(404);
  expect(head.text ?? '').toBe('');
});

test('bad JSON, refused by Egg\'s body parser, is 400 4001001', async () => {
  const res = await http(csrfOff).post('/v2/user_auth').set('Content-Type', 'application/json').send('{"corp_id":');
  expectXlinkError(res, 'PARAM_VERIFICATION_FAILED');
});

describe('CSRF (Egg\'s security plugin)', () => {
  test('on (Egg\'s default): a POST without a token is 403 4031001, not Egg\'s HTML', async () => {
    const log = errorLog(app);
    const res = await http(app).post('/v2/user_auth').set('Content-Type', 'application/json').send('{"corp_id":"100fa2b6c5d3a000"}');
    expectXlinkError(res, 'ACCESS_DENIED');
    expect(log('csrf')).toEqual([]); // a 4xx: Egg's security plugin warns, nothing is an error
  });

  test('on: bad JSON is still 400 4001001 (the body parser comes before the CSRF check)', async () => {
    const res = await http(app).post('/v2/user_auth').set('Content-Type', 'application/json').send('{"corp_id":');
    expectXlinkError(res, 'PARAM_VERIFICATION_FAILED');
  });

  test('off: the POST reaches its route', async () => {
    const res = await http(csrfOff).post('/v2/user_auth').set('Content-Type', 'application/json').send('{"corp_id":"100fa2b6c5d3a000"}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: { corp_id: '100fa2b6c5d3a000' } });
  });
});

test('a 503 is logged once, by Egg\'s error logger, and the wire carries nothing of it', async () => {
  const mark = 'egg-503-logged-once';
  const log = errorLog(app);
  app.egg.nextThrown = () => new Error(`${mark} ${secret}`);
  const res = await http(app).get('/v2/thrown');
  expectXlinkError(res, 'SERVER_EXCEPTION');
  expect(res.text).not.toContain(secret);
  expect(res.headers['cache-control']).toBe('no-store');
  const entries = log(mark);
  expect(entries).toHaveLength(1);
  expect(entries[0]![0]).toBe('ERROR');
});

describe('handler options from config.xlinkErrors', () => {
  test('a map given in the config maps', async () => {
    app.egg.nextThrown = () => Object.assign(new Error('lamp 7 offline'), { name: 'DeviceOfflineError' });
    expectXlinkError(await http(app).get('/v2/thrown'), 'DEVICE_NOT_FOUND');
  });

  test('a map that throws: 503, reported to stderr, the server keeps serving', async () => {
    app.egg.nextThrown = () => Object.assign(new Error(`trapped ${secret}`), { name: 'MapTrap' });
    const res = await http(app).get('/v2/thrown');
    expectXlinkError(res, 'SERVER_EXCEPTION');
    expect(res.text).not.toContain(secret);
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]![0]).toMatch(/^xlink-errors: map\(\) failed/);
    consoleError.mockClear(); // asserted here, so that afterEach's check is about the rest
    expectXlinkError(await http(app).get('/v2/device/7'), 'DEVICE_NOT_FOUND');
  });
});
