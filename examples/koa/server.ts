// `npm run start:koa`: the same example API on Koa.
import type { AddressInfo } from 'node:net';
import { banner } from '../domain/banner';
import { XlinkService } from '../domain/service';
import { seededStore } from '../domain/store';
import { createKoaApp } from './app';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = createKoaApp(new XlinkService(seededStore())).listen(port, host, () => {
  console.log(banner('Koa', `http://${host}:${(server.address() as AddressInfo).port}`));
});
