/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/src', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // test/vitest is Vitest's (npm test runs it after Jest).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/vitest/'],
  transform: {
    // The NestJS tests use decorators (experimentalDecorators, emitDecoratorMetadata), and Nest 12
    // is ES modules only, which Jest cannot require on Node 20: both compiled by their own transform.
    '/test/nestjs[^/]*\\.test\\.ts$': '<rootDir>/test/nestjs-transform.cjs',
    '/node_modules/@nestjs/.+\\.js$': '<rootDir>/test/nestjs-transform.cjs',
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // arktype (and its @ark packages, arkregex) is ES modules only: compiled to CommonJS for Jest.
    '/node_modules/(arktype|arkregex|@ark)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true }, diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|arktype|arkregex|@ark)/)'],
  // Tests import the package by its public name, as users do; it resolves to the sources.
  moduleNameMapper: {
    '^xlink-errors$': '<rootDir>/src/index.ts',
    '^xlink-errors/(koa|testing|fastify|extended|nestjs|web|hono|client)$': '<rootDir>/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};
