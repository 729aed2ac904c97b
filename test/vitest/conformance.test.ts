// toKeepXlinkContract in Vitest: registered with expect.extend, typed by the declaration of
// xlink-errors/testing, on a real report of checkXlinkContract.
import express from 'express';
import { expect, test } from 'vitest';
import { xlinkErrorHandler, xlinkNotFound } from 'xlink-errors';
import { checkXlinkContract, xlinkMatchers } from 'xlink-errors/testing';

expect.extend(xlinkMatchers);

test('a report that keeps the contract passes; one that does not fails with its failures', async () => {
  const good = express().use(xlinkNotFound()).use(xlinkErrorHandler());
  expect(await checkXlinkContract(good, { routes: ['GET /v2/device/{id}'] })).toKeepXlinkContract();
  const bad = express().use((_req, res) => void res.status(404).json({ statusCode: 404 }));
  const report = await checkXlinkContract(bad, { routes: ['GET /v2/device/{id}'] });
  expect(report).not.toKeepXlinkContract();
  expect(() => expect(report).toKeepXlinkContract()).toThrow(/✗ envelope \(\d+\)\n {2}GET \/v2\/device\/\{id\} {2}\[no-access-token\][^]*the body has no "error" object/);
});
