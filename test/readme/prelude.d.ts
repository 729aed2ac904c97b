// The names the fragments of README.md and docs/*.md use without declaring them (an app, a
// response, the package's exports): each ```ts block is compiled as a module of its own with
// these in scope (test/readme.test.ts). A block's own imports and declarations shadow them.
import type * as xlink from 'xlink-errors';
import type * as testing from 'xlink-errors/testing';
import type { Express, Request, Response, NextFunction } from 'express';
import type { Response as SupertestResponse } from 'supertest';

declare global {
  const app: Express;
  const res: SupertestResponse;
  const dbError: Error;
  class DeviceOfflineError extends Error {}
  const logger: { warn(details: object): void; error(details: object): void };
  const login: (req: Request, res: Response, next: NextFunction) => void;
  const list: (req: Request, res: Response, next: NextFunction) => void;

  const xlinkError: typeof xlink.xlinkError;
  const XLINK_ERRORS: typeof xlink.XLINK_ERRORS;
  const xlinkErrorHandler: typeof xlink.xlinkErrorHandler;
  const xlinkValidate: typeof xlink.xlinkValidate;
  const setXlinkErrorDefaults: typeof xlink.setXlinkErrorDefaults;
  const validateXlinkEnvelope: typeof xlink.validateXlinkEnvelope;
  const xlinkEnvelopeSchema: typeof xlink.xlinkEnvelopeSchema;
  const expectXlinkError: typeof testing.expectXlinkError;
}
