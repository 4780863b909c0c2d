// Lets `node --require ./bench/documents/register-swc.js bench/documents.bench.ts` run the bench
// without a build: .ts files are compiled on require by @swc/core (already a dev dependency
// through @swc/jest), with the same target the Jest transform uses.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
};
