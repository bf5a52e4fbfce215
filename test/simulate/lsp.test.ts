// faultline/simulate through the real stdio server (run `node scripts/build.mjs` first so
// dist/server.js is current): by handler, by position, matrix mode, executeCommand, errors;
// and the trace equals the CLI's for the same input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../server/src/cli/main';
import type { SimulationMatrix, SimulationTrace } from '../../server/src/features/simulate';
import { REPO, startServer } from '../support/lspClient';

const EXAMPLE = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');
const URI = pathToFileURL(EXAMPLE).toString();
const TEXT = fs.readFileSync(EXAMPLE, 'utf8');

test('faultline/simulate over stdio matches the CLI', async () => {
  const client = await startServer({ settings: { targets: ['5.11/x86_64', '6.12/x86_64'] } });
  try {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'c', version: 1, text: TEXT } });
    const byName = (await client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, handler: 'gbo_huge_fault', scenario: { level: 'pmd' }, target: '5.11/x86_64' })) as SimulationTrace;
    assert.equal(byName.verdict.kind, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
    assert.deepEqual(byName.targets, ['5.11/x86_64', '6.12/x86_64']);
    assert.ok(byName.steps.filter((s) => s.source).every((s) => s.source!.uri === URI));

    let cli = '';
    const code = main(['simulate', `${EXAMPLE}:gbo_huge_fault`, '--target', '5.11/x86_64', '--scenario', 'level=pmd'], { out: (s) => (cli += s), err: () => undefined });
    assert.equal(code, 0);
    assert.equal(byName.text, cli, 'one implementation: LSP and CLI traces are identical');

    const line = TEXT.split('\n').findIndex((l) => l.includes('return gbo_insert_huge('));
    const byPos = (await client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, position: { line, character: 2 } })) as SimulationTrace;
    assert.equal(byPos.handler, 'gbo_huge_fault');
    assert.equal(byPos.target, '5.11/x86_64', 'the document’s first target by default');

    const matrix = (await client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, handler: 'gbo_huge_fault', mode: 'matrix' })) as SimulationMatrix;
    assert.equal(matrix.mode, 'matrix');
    assert.equal(matrix.cells.length, 24);

    const viaCommand = (await client.connection.sendRequest('workspace/executeCommand', { command: 'faultline.server.simulate', arguments: [{ textDocument: { uri: URI }, handler: 'gbo_fault' }] })) as SimulationTrace;
    assert.equal(viaCommand.handler, 'gbo_fault');

    await assert.rejects(client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, handler: 'gbo_huge_fault', scenario: { colour: 'blue' } }), /unknown scenario key "colour"/);
    await assert.rejects(client.connection.sendRequest('faultline/simulate', { textDocument: { uri: URI }, handler: 'nope' }), /no function nope/);
  } finally {
    await client.close();
  }
});
