// `npm start`: the Xlink User Identity and Device Sharing example API on Express.
import type { AddressInfo } from 'node:net';
import { banner } from '../domain/banner';
import { XlinkService } from '../domain/service';
import { seededStore } from '../domain/store';
import { createExpressApp } from './app';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = createExpressApp(new XlinkService(seededStore())).listen(port, host, () => {
  console.log(banner('Express', `http://${host}:${(server.address() as AddressInfo).port}`));
});
