// Protocol misuse through the real stdio server (issue 9): unknown documents, positions past the
// end, stale versions, overlapping and out-of-range edits, malformed params, unknown methods,
// cancellation mid-request, requests after shutdown. Each case is followed by a check that the
// server still answers a hover and still publishes diagnostics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver-protocol/node';
import { REPO, startServer, type TestClient } from '../support/lspClient';

const EXAMPLE = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');
const URI = pathToFileURL(EXAMPLE).toString();
const TEXT = fs.readFileSync(EXAMPLE, 'utf8');
const LINES = TEXT.split('\n');
const CALL_LINE = LINES.findIndex((l) => l.includes('vmf_insert_pfn_pmd'));

const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const REQUEST_CANCELLED = -32800;

async function errorOf(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    const r = await p;
    assert.fail(`expected an error, got ${JSON.stringify(r)}`);
  } catch (err) {
    if (!(err instanceof ResponseError)) throw err;
    return err;
  }
}

let version = 1;

/** The server still serves: a hover on the example answers and an edit gets diagnostics. */
async function stillServing(client: TestClient): Promise<void> {
  assert.ok(CALL_LINE >= 0);
  const col = LINES[CALL_LINE]!.indexOf('vmf_insert_pfn_pmd') + 2;
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: CALL_LINE, character: col } });
  assert.ok(hover === null || typeof hover === 'object');
  const v = ++version;
  const diags = client.diagnostics(URI, (p) => p.version === v);
  await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: v }, contentChanges: [{ text: TEXT }] });
  const published = await diags;
  assert.ok(published.diagnostics.length > 0, 'the example still has findings');
  assert.equal(client.child.exitCode, null, 'server process alive');
}

async function openExample(client: TestClient): Promise<void> {
  const first = client.diagnostics(URI);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'c', version, text: TEXT } });
  await first;
}

test('misuse of documents, positions, edits and params gets LSP errors or is ignored, and the server keeps serving', async () => {
  version = 1;
  const client = await startServer({ settings: { targets: ['6.12/x86_64'] } });
  try {
    await openExample(client);
    const c = client.connection;

    // Unknown documents: requests get InvalidParams, notifications are ignored.
    const unknown = 'file:///nowhere/unknown.c';
    assert.equal((await errorOf(c.sendRequest('textDocument/hover', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }))).code, INVALID_PARAMS);
    assert.equal((await errorOf(c.sendRequest('textDocument/codeLens', { textDocument: { uri: unknown } }))).code, INVALID_PARAMS);
    assert.equal((await errorOf(c.sendRequest('faultline/simulate', { textDocument: { uri: unknown }, handler: 'x' }))).code, INVALID_PARAMS);
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: unknown, version: 5 }, contentChanges: [{ text: 'int x;' }] });
    await c.sendNotification('textDocument/didClose', { textDocument: { uri: unknown } });
    await stillServing(client);

    // Positions past the end: null, not an error; negative or non-integer positions: InvalidParams.
    assert.equal(await c.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 100_000, character: 0 } }), null);
    assert.equal(await c.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 100_000 } }), null);
    assert.equal((await errorOf(c.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: -1, character: 0 } }))).code, INVALID_PARAMS);
    assert.equal((await errorOf(c.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 'one', character: 0 } }))).code, INVALID_PARAMS);
    const actions = await c.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI }, range: { start: { line: 0, character: 0 }, end: { line: 999_999, character: 999_999 } }, context: { diagnostics: [] },
    });
    assert.ok(Array.isArray(actions));
    await stillServing(client);

    // Malformed params: InvalidParams, never InternalError.
    for (const [method, params] of [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: { uri: URI } }],
      ['textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } }],
      ['textDocument/codeAction', { textDocument: { uri: URI } }],
      ['textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 0 }, end: null }, context: {} }],
      ['textDocument/codeLens', { textDocument: null }],
      ['faultline/simulate', { textDocument: { uri: URI }, position: { line: 'x' } }],
      ['faultline/simulate', null],
      ['workspace/executeCommand', { command: 'faultline.nonexistent' }],
    ] as const) {
      const err = await errorOf(c.sendRequest(method, params));
      assert.equal(err.code, INVALID_PARAMS, `${method} ${JSON.stringify(params)}: ${err.code} ${err.message}`);
    }
    // Malformed notifications are ignored.
    await c.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///x.c', text: 42 } });
    await c.sendNotification('textDocument/didOpen', {});
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 1000 }, contentChanges: [{ range: { start: { line: 'a' } }, text: 'x' }] });
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 1001 }, contentChanges: 'garbage' });
    await stillServing(client);

    // Unknown methods: MethodNotFound; unknown notifications: ignored.
    assert.equal((await errorOf(c.sendRequest('faultline/noSuchMethod', {}))).code, METHOD_NOT_FOUND);
    assert.equal((await errorOf(c.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: URI } }))).code, METHOD_NOT_FOUND);
    await c.sendNotification('faultline/noSuchNotification', { x: 1 });
    await stillServing(client);

    // Stale versions are ignored: the document keeps its newer text.
    const current = version;
    await c.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 1 }, contentChanges: [{ text: 'int stale;\n' }] });
    await stillServing(client);
    assert.ok(version > current);

    // Overlapping, reversed and out-of-range edit ranges in one change: applied with clamping,
    // the document stays analysable.
    const v = ++version;
    const garbled = client.diagnostics(URI, (p) => p.version === v);
    await c.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: v },
      contentChanges: [
        { range: { start: { line: 2, character: 0 }, end: { line: 4, character: 10 } }, text: 'a' },
        { range: { start: { line: 3, character: 5 }, end: { line: 2, character: 1 } }, text: 'b' },
        { range: { start: { line: 500_000, character: 0 }, end: { line: 600_000, character: 9 } }, text: '\n/* tail */\n' },
        { range: { start: { line: 1, character: 9_999 }, end: { line: 1, character: 99_999 } }, text: '' },
      ],
    });
    await garbled;
    assert.equal(await c.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 10_000, character: 3 } }), null);
    await stillServing(client);
  } finally {
    await client.close();
  }
  assert.doesNotMatch(client.stderr(), /uncaught exception|unhandled rejection/);
});

test('$/cancelRequest mid-request answers RequestCancelled and the server keeps serving', async () => {
  version = 1;
  const client = await startServer({ settings: { targets: ['6.12/x86_64', '6.12/arm64'], analysisTimeBudgetMs: 1500 } });
  try {
    await openExample(client);
    // A document whose analysis runs into the 1.5 s budget.
    const lines = ['static vm_fault_t h(struct vm_fault *vmf)', '{'];
    for (let i = 0; i < 15_000; i++) lines.push(i % 10 === 0 ? `\tif (x) return vmf_insert_pfn_pmd(vmf, pfn + ${i}, true);` : `\tx = x + ${i};`);
    lines.push('\treturn VM_FAULT_FALLBACK;', '}', 'static const struct vm_operations_struct o = { .huge_fault = h };');
    const slowUri = 'file:///fuzz/slow.c';
    const slowText = lines.join('\n');
    const opened = client.diagnostics(slowUri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: slowUri, languageId: 'c', version: 1, text: slowText } });
    await opened;
    // An edit, then a hover that has to re-run the analysis; cancel it while it runs.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: slowUri, version: 2 }, contentChanges: [{ text: slowText + '\n' }] });
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/hover', { textDocument: { uri: slowUri }, position: { line: 5, character: 3 } }, source.token);
    setTimeout(() => source.cancel(), 150);
    const err = await errorOf(pending);
    assert.equal(err.code, REQUEST_CANCELLED, err.message);
    // Cancelled before dispatch: also RequestCancelled.
    const s2 = new CancellationTokenSource();
    const p2 = client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } }, s2.token);
    s2.cancel();
    const e2 = await p2.then(() => undefined, (e: unknown) => e as ResponseError<unknown>);
    if (e2) assert.equal(e2.code, REQUEST_CANCELLED);
    await stillServing(client);
  } finally {
    await client.close();
  }
});

test('requests after shutdown get InvalidRequest; exit then ends the process with 0', async () => {
  version = 1;
  const client = await startServer({ settings: { targets: ['6.12/x86_64'] } });
  await openExample(client);
  await stillServing(client);
  await client.connection.sendRequest('shutdown');
  const err = await errorOf(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 0 } }));
  assert.equal(err.code, INVALID_REQUEST);
  assert.equal((await errorOf(client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, handler: 'x' }))).code, INVALID_REQUEST);
  const exited = new Promise<number | null>((resolve) => client.child.once('exit', (code) => resolve(code)));
  await client.connection.sendNotification('exit');
  assert.equal(await exited, 0);
  client.connection.dispose();
});
