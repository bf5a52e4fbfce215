// Bundles the VS Code client, the language server and the CLI with esbuild. Type checking is a
// separate step (`tsc -p .`), as in vscode-clangd. tree-sitter stays external: it loads its
// N-API prebuild from node_modules at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', 'tree-sitter', 'tree-sitter-c'],
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['server/src/analysis/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
]);
