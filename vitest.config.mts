// Vitest runs only its own test file (test/vitest); Jest runs the rest. The package resolves to
// the sources, as in Jest.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^xlink-errors$/, replacement: src('index.ts') },
      { find: /^xlink-errors\/(koa|testing|fastify|extended|nestjs|web|hono|client)$/, replacement: src('$1/index.ts') },
    ],
  },
  test: { include: ['test/vitest/**/*.test.ts'] },
});
