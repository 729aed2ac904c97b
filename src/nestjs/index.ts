// xlink-errors/nestjs: the Xlink error contract in NestJS (11 and 12, platform-express and
// platform-fastify). @nestjs/common is needed here; @nestjs/swagger only for ApiXlinkErrorResponses.
export { XlinkExceptionFilter, type XlinkNestOptions, type XlinkNestRequest } from './filter.js';
export { xlinkValidationExceptionFactory, type XlinkClassValidatorError, type XlinkNestValidationError, type XlinkNestValidationIssue } from './validation.js';
export { ApiXlinkErrorResponses } from './swagger.js';
