// cookie@2 (an ES module) as CommonJS, for Jest only: see jest-resolver.cjs.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

const file = join(dirname(require.resolve('light-my-request')), 'node_modules', 'cookie', 'dist', 'index.js');
const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
  fileName: file,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true },
});
new Function('exports', 'require', 'module', outputText)(module.exports, require, module);
