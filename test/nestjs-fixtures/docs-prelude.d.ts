// The names docs/nestjs.md's fragments use without declaring them: each ```ts block is compiled
// as a module of its own with these in scope (test/readme.test.ts). A block's own
// declarations shadow them.
export {};

declare global {
  class AppModule {}
  class DevicesController {}
}
