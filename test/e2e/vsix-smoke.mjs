#!/usr/bin/env node
// Runs the language server from an unpacked vsix (extension/dist/server.js --stdio), with the
// node_modules the vsix ships and nothing else, and checks that it answers `initialize` and
// publishes diagnostics for the example file: proves .vscodeignore kept every run-time file and
// that the N-API prebuilds load under the Node running this script (run it under Node 20 and 24).
//   node test/e2e/vsix-smoke.mjs faultline-linux-x64.vsix [file.c]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vsix = path.resolve(process.argv[2] ?? path.join(root, 'faultline.vsix'));
const file = path.resolve(process.argv[3] ?? path.join(root, 'test/e2e/workspace/drivers/misc/fl_demo.c'));
const label = `vsix ${path.basename(vsix)} under Node ${process.versions.node}`;
let passed = 0, failed = 0;
const check = (name, cond, detail) => {
  if (cond) { passed++; console.log(`ok - ${label}: ${name}`); } else { failed++; console.log(`not ok - ${label}: ${name}${detail ? `: ${detail}` : ''}`); }
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-vsix-'));
let child;
try {
  const unz = spawnSync('unzip', ['-q', vsix, '-d', tmp], { encoding: 'utf8', timeout: 60_000 });
  check('unzips', unz.status === 0, unz.stderr);
  const server = path.join(tmp, 'extension/dist/server.js');
  check('contains extension/dist/server.js', fs.existsSync(server));
  // the native packages load from the vsix alone and parse C
  const probe = `const P=require(${JSON.stringify(path.join(tmp, 'extension/node_modules/tree-sitter'))});` +
    `const C=require(${JSON.stringify(path.join(tmp, 'extension/node_modules/tree-sitter-c'))});` +
    `const p=new P();p.setLanguage(C);process.stdout.write(p.parse('int f(void){return 0;}').rootNode.type)`;
  const pr = spawnSync(process.execPath, ['-e', probe], { cwd: tmp, encoding: 'utf8', timeout: 30_000 });
  check('tree-sitter + tree-sitter-c prebuilds load from the vsix and parse C', pr.stdout === 'translation_unit', pr.stderr.slice(0, 300));
  if (fs.existsSync(server)) await talk(server);
} catch (err) {
  check('ran without an exception', false, err?.stack ?? String(err));
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`vsix-smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

async function talk(server) {
  // cwd outside the repo, so nothing from the repo's node_modules can be picked up
  child = spawn(process.execPath, [server, '--stdio'], { cwd: tmp, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: '' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let buf = Buffer.alloc(0);
  const waiters = [];
  const messages = [];
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) break;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())?.[1]);
      if (buf.length < sep + 4 + len) break;
      const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString());
      buf = buf.subarray(sep + 4 + len);
      // answer server → client requests (workspace/configuration, registerCapability, …)
      if (msg.id !== undefined && msg.method) send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? (msg.params.items ?? []).map(() => null) : null });
      messages.push(msg);
      for (const w of [...waiters]) if (w.pred(msg)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(msg); }
    }
  });
  const send = (m) => { const s = JSON.stringify(m); child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`); };
  const wait = (pred, ms) => new Promise((resolve) => {
    const hit = messages.find(pred);
    if (hit) return resolve(hit);
    const w = { pred, resolve };
    waiters.push(w);
    setTimeout(() => { const i = waiters.indexOf(w); if (i >= 0) { waiters.splice(i, 1); resolve(null); } }, ms);
  });
  const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));

  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: pathToFileURL(path.dirname(file)).href, capabilities: {}, workspaceFolders: null } });
  const init = await wait((m) => m.id === 1, 15_000);
  check('answers initialize', init?.result?.capabilities, init?.error ? JSON.stringify(init.error) : `no answer; stderr: ${stderr.slice(0, 400)}`);
  if (!init?.result) return;
  send({ jsonrpc: '2.0', method: 'initialized', params: {} });
  const uri = pathToFileURL(file).href;
  send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'c', version: 1, text: fs.readFileSync(file, 'utf8') } } });
  const nonEmpty = (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.diagnostics.length > 0;
  const any = await wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 15_000);
  check('publishes diagnostics for the example', !!any, stderr.slice(0, 400));
  const diags = any && (nonEmpty(any) ? any : await wait(nonEmpty, 3000));
  const n = diags?.params.diagnostics.length ?? 0;
  const codes = [...new Set((diags?.params.diagnostics ?? []).map((d) => d.code))].sort();
  check(`the example's findings: ${n} [${codes.join(' ')}]`, n > 0 && codes.every((c) => /^FL0\d\d$/.test(String(c))));
  const errors = messages.filter((m) => m.method === 'window/logMessage' && m.params.type === 1).map((m) => m.params.message);
  const loadErrors = errors.filter((e) => /Cannot find module|No native build|tree-sitter|ERR_DLOPEN/i.test(e));
  check('no module-loading errors in the server log', loadErrors.length === 0, loadErrors.join(' | ').slice(0, 400));
  send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
  await wait((m) => m.id === 2, 5000);
  send({ jsonrpc: '2.0', method: 'exit' });
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 5000))]);
  check('exits after shutdown/exit', code === 0, `exit ${code}; stderr: ${stderr.slice(-600)}`);
}
