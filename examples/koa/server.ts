// `npm run start:koa`: the same example API on Koa.
import { serve } from '../domain/serve';
import { createKoaApp } from './app';

serve('Koa', (service) => createKoaApp(service).callback());
