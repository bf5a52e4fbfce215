#!/usr/bin/env node
// Builds Faultline's vsix: universal (all prebuilds) or per platform (--target, only that platform's
// tree-sitter / tree-sitter-c prebuilds).
//   node scripts/package.mjs                      -> faultline.vsix (universal)
//   node scripts/package.mjs --target linux-x64   -> faultline-linux-x64.vsix
//   node scripts/package.mjs --target all         -> one vsix per supported target
//   --no-build skips `npm run build`; --out DIR puts the files elsewhere.
// Each vsix is checked afterwards: the server bundle, both packages' entry files and exactly the
// expected prebuild folders must be inside.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
const NATIVE = ['tree-sitter', 'tree-sitter-c'];

const args = process.argv.slice(2);
let targets = [];
let build = true;
let outDir = root;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--target') targets.push(...args[++i].split(','));
  else if (a.startsWith('--target=')) targets.push(...a.slice(9).split(','));
  else if (a === '--no-build') build = false;
  else if (a === '--out') outDir = path.resolve(args[++i]);
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (targets.includes('all')) targets = TARGETS;
for (const t of targets) if (!TARGETS.includes(t)) { console.error(`unknown target ${t}; known: ${TARGETS.join(', ')}`); process.exit(2); }

const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { cwd: root, stdio: 'inherit', ...opts });
const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
if (build) run('npm', ['run', 'build', '--silent']);

// vsce rewrites the README's relative links and images against the repository; it detects only
// GitHub/GitLab hosts, so derive the base URLs from package.json's repository for any other host.
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const repoUrl = String(manifest.repository?.url ?? manifest.repository ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
const baseUrls = /^https:\/\/(github\.com|gitlab\.com)\//.test(repoUrl) || !/^https:\/\//.test(repoUrl)
  ? [] : ['--baseContentUrl', `${repoUrl}/blob/HEAD`, '--baseImagesUrl', `${repoUrl}/raw/HEAD`];

const baseIgnore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
for (const pkg of NATIVE) {
  if (!baseIgnore.includes(`!node_modules/${pkg}/prebuilds/**`)) {
    console.error(`.vscodeignore must contain the line !node_modules/${pkg}/prebuilds/**`); process.exit(1);
  }
}
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-pkg-'));
const results = [];
try {
  for (const target of targets.length ? targets : [null]) {
    const out = path.join(outDir, target ? `faultline-${target}.vsix` : 'faultline.vsix');
    const argv = ['package', '--no-update-package-json', '--out', out, ...baseUrls];
    if (target) {
      let ignore = baseIgnore;
      for (const pkg of NATIVE) ignore = ignore.replace(`!node_modules/${pkg}/prebuilds/**`, `!node_modules/${pkg}/prebuilds/${target}/**`);
      const ignoreFile = path.join(tmp, `vscodeignore-${target}`);
      fs.writeFileSync(ignoreFile, ignore);
      argv.push('--target', target, '--ignoreFile', ignoreFile);
    }
    run(vsce, argv);
    verify(out, target);
    results.push({ file: path.relative(root, out), target: target ?? 'universal', bytes: fs.statSync(out).size });
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
for (const r of results) console.log(`${r.target.padEnd(12)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KB  ${r.file}`);

function verify(vsix, target) {
  const list = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const has = (f) => list.includes(`extension/${f}`);
  const missing = ['package.json', 'dist/client.js', 'dist/server.js', 'node_modules/node-gyp-build/index.js',
    'node_modules/tree-sitter/index.js', 'node_modules/tree-sitter-c/bindings/node/index.js',
    'node_modules/tree-sitter-c/src/node-types.json'].filter((f) => !has(f));
  const platforms = (pkg) => [...new Set(list.filter((f) => f.startsWith(`extension/node_modules/${pkg}/prebuilds/`))
    .map((f) => f.split('/')[4]))].sort();
  const problems = missing.map((f) => `missing ${f}`);
  for (const pkg of NATIVE) {
    const got = platforms(pkg);
    if (target ? got.join() !== target : !TARGETS.every((t) => got.includes(t))) problems.push(`${pkg} prebuilds: ${got.join(', ') || 'none'}`);
  }
  const stray = list.filter((f) => /\.(ts|map|cc|c|h|gyp)$/.test(f) || f.includes('/node-addon-api/') || f.includes('/src/parser.c'));
  if (stray.length) problems.push(`unexpected files: ${stray.slice(0, 5).join(', ')}`);
  if (problems.length) { console.error(`${vsix}: ${problems.join('; ')}`); process.exit(1); }
}
