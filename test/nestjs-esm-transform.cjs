// Jest (CommonJS, Node 20) cannot load Nest 12, which is published as ES modules only (Jest's own
// require(esm) needs Node 24.9+). This transform compiles those modules to CommonJS for the
// nestjs tests alone (jest.config.js routes only node_modules/@nestjs/** and the ESM-only
// packages they import through it): TypeScript's transpileModule, no type checking.
const ts = require('typescript');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, filename) {
    // A module's own `require` (createRequire(import.meta.url)) is CommonJS's own; any other
    // `import.meta.url` has a CommonJS equivalent.
    const text = source
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);?$/gm, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
    const { outputText } = ts.transpileModule(text, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true, sourceMap: false },
    });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update('nestjs-esm-transform-2').update(filename).update(source).digest('hex');
  },
};
