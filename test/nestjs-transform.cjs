// The Jest transform of the NestJS tests (jest.config.js routes test/nestjs*.test.ts and
// node_modules/@nestjs/** here): TypeScript's transpileModule, no type checking (as ts-jest's
// isolatedModules; `npm run typecheck` checks the tests with test/nestjs.tsconfig.json).
// - The tests use decorators as Nest apps do: experimentalDecorators, emitDecoratorMetadata.
//   (A second ts-jest entry with another tsconfig is not enough: ts-jest reuses one compiler
//   configuration per worker, so files compiled after others got the main tsconfig's.)
// - Nest 12 is published as ES modules only, which Jest cannot require on Node 20 (its own
//   require(esm) needs Node 24.9+): those modules are compiled to CommonJS.
const ts = require('typescript');
const { createHash } = require('node:crypto');

const VERSION = 'nestjs-transform-3';

module.exports = {
  process(source, filename) {
    const test = filename.endsWith('.ts');
    // A module's own `require` (createRequire(import.meta.url)) is CommonJS's own; any other
    // `import.meta.url` has a CommonJS equivalent.
    const text = test
      ? source
      : source.replace(/^\s*const require = createRequire\(import\.meta\.url\);?$/gm, '').replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
    const { outputText, sourceMapText } = ts.transpileModule(text, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: !test,
        experimentalDecorators: test,
        emitDecoratorMetadata: test,
        sourceMap: test,
      },
    });
    return test ? { code: outputText.replace(/\/\/# sourceMappingURL=.*$/m, ''), map: sourceMapText } : { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update(VERSION).update(filename).update(source).digest('hex');
  },
};
