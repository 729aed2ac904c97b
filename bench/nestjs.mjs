// NestJS's error path, in-process (light-my-request, one request at a time, as bench/inject.mjs):
// XlinkExceptionFilter against a hand-written Nest filter that writes the same envelope through
// the platform's HttpAdapter (what a Nest user writes by hand: `httpAdapter.reply(res, body,
// status)`), on the same platform, both platforms; Nest's own default filter beside them for
// reference (its body is Nest's, not the envelope). Every route throws the same
// xlinkError('DEVICE_NOT_FOUND'), so making the error costs every variant the same; every answer
// is checked. Rounds alternate the variants' order; ratios are medians of per-round ratios,
// by the clock and by CPU time (process.cpuUsage()).
// Usage: npm run bench:nestjs [-- --rounds 7 --requests 3000]
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { Catch, Controller, Get, Module } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

process.env.NODE_ENV = 'production';
const require = createRequire(import.meta.url);
const inject = require('light-my-request');
const { xlinkError, isXlinkError } = require('xlink-errors');
const { XlinkExceptionFilter } = require('xlink-errors/nestjs');

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, requests: { type: 'string', default: '3000' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const ENVELOPE = '{"error":{"code":4041008,"msg":"Device does not exist"}}';

// Decorators applied as calls: this script is plain JavaScript.
class DevicesController {
  find() {
    throw xlinkError('DEVICE_NOT_FOUND');
  }
}
Controller('v2')(DevicesController);
Get('device/:id')(DevicesController.prototype, 'find', Object.getOwnPropertyDescriptor(DevicesController.prototype, 'find'));
class AppModule {}
Module({ controllers: [DevicesController] })(AppModule);

/** The filter a Nest user writes by hand for the same envelope, through the HttpAdapter as Nest's docs show. */
class HandFilter {
  constructor(httpAdapter) {
    this.httpAdapter = httpAdapter;
  }
  catch(exception, host) {
    const ctx = host.switchToHttp();
    const [status, code, msg] = isXlinkError(exception) ? [exception.status, exception.code, exception.message] : [503, 5031001, 'Server exception'];
    this.httpAdapter.reply(ctx.getResponse(), { error: { code, msg } }, status);
  }
}
Catch()(HandFilter);

async function appOn(platform, filter) {
  const app = await NestFactory.create(AppModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  if (filter === 'xlink') app.useGlobalFilters(new XlinkExceptionFilter());
  if (filter === 'hand') app.useGlobalFilters(new HandFilter(app.get(HttpAdapterHost).httpAdapter));
  await app.init();
  const instance = app.getHttpAdapter().getInstance();
  if (platform === 'fastify') await instance.ready();
  // Fastify injects through its own light-my-request: every Fastify variant pays the same for it.
  return platform === 'fastify' ? (opts) => instance.inject(opts) : (opts) => inject(instance, opts);
}

const apps = {
  'platform-express, hand-written filter': await appOn('express', 'hand'),
  'platform-express + XlinkExceptionFilter': await appOn('express', 'xlink'),
  "platform-express, Nest's default filter": await appOn('express', 'none'),
  'platform-fastify, hand-written filter': await appOn('fastify', 'hand'),
  'platform-fastify + XlinkExceptionFilter': await appOn('fastify', 'xlink'),
  "platform-fastify, Nest's default filter": await appOn('fastify', 'none'),
};

const samples = {};
const samplesCpu = {};
async function run(name, n, warmUp = false) {
  const dispatch = apps[name];
  const nestDefault = name.endsWith("default filter");
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = await dispatch({ url: '/v2/device/42' });
    if (res.statusCode !== 404 || (nestDefault ? !res.payload.includes('Device does not exist') : res.payload !== ENVELOPE)) throw new Error(`${name}: wrong answer: ${res.statusCode} ${res.payload}`);
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
  const { user, system } = process.cpuUsage(cpuStart);
  if (warmUp) return;
  (samples[name] ??= []).push(Number(process.hrtime.bigint() - start) / n / 1000);
  (samplesCpu[name] ??= []).push((user + system) / n);
}

const names = Object.keys(apps);
for (const name of names) await run(name, 1000, true);
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) await run(name, requests);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (table, a, b) => median(table[a].map((x, r) => x / table[b][r])).toFixed(2);
const range = (table, a, b) => {
  const rs = table[a].map((x, r) => x / table[b][r]);
  return `${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)}`;
};
console.log(`\nNode ${process.version}, NestJS error path in-process (light-my-request), ${rounds} rounds x ${requests} requests\n`);
console.log('| variant | median µs per request | median CPU µs per request |');
console.log('| --- | ---: | ---: |');
for (const name of names) console.log(`| ${name} | ${median(samples[name]).toFixed(1)} | ${median(samplesCpu[name]).toFixed(1)} |`);
console.log('\n| speed ratio (other time / XlinkExceptionFilter time, median of per-round ratios; range) | clock | CPU |');
console.log('| --- | ---: | ---: |');
for (const platform of ['platform-express', 'platform-fastify']) {
  const xlink = `${platform} + XlinkExceptionFilter`;
  for (const other of [`${platform}, hand-written filter`, `${platform}, Nest's default filter`]) {
    console.log(`| ${other} / XlinkExceptionFilter | ${ratio(samples, other, xlink)} (${range(samples, other, xlink)}) | ${ratio(samplesCpu, other, xlink)} (${range(samplesCpu, other, xlink)}) |`);
  }
}
