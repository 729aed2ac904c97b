// `npm start`: the Xlink example API (user identity, device sharing, devices) on Express.
import { serve } from '../domain/serve';
import { createExpressApp } from './app';

serve('Express', (service) => createExpressApp(service));
