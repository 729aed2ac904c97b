// The names docs/nestjs.md's fragments use without declaring them: each ```ts block is compiled
// as a module of its own with these in scope (test/nestjs-docs.test.ts). A block's own
// declarations shadow them.
import type { INestApplication } from '@nestjs/common';

declare global {
  const app: INestApplication;
  class AppModule {}
  class DevicesController {}
}
