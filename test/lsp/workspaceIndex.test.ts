// The background workspace index over the real stdio server: $/progress begin/end, and a rule
// that needs another file (the mmap handler that sets the VMA flags) fires once the index is built.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { REPO, startServer } from '../support/lspClient';

const DIR = path.join(REPO, 'test', 'fixtures', 'workspace-xfile');
const FAULT = path.join(DIR, 'bo_fault.c');
const URI = pathToFileURL(FAULT).toString();

test('cross-file VMA flags arrive with the workspace index, reported through $/progress', async () => {
  const client = await startServer({ settings: { targets: ['6.12/x86_64'] } }, { window: { workDoneProgress: true } }, pathToFileURL(DIR).toString());
  try {
    const withIndex = client.diagnostics(URI, (p) => p.diagnostics.some((d: Diagnostic) => d.code === 'FL004'), 20_000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'c', version: 1, text: fs.readFileSync(FAULT, 'utf8') } });
    const published = await withIndex;
    const fl004 = published.diagnostics.find((d) => d.code === 'FL004')!;
    assert.equal(fl004.severity, 1);
    assert.match(fl004.message as string, /xbo_mmap/);
    assert.ok(fl004.relatedInformation?.some((r) => r.location.uri.endsWith('bo_mmap.c')), 'related information points at the mmap handler in the other file');

    const progress = client.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string } }).value.kind);
    assert.equal(progress[0], 'begin');
    assert.equal(progress[progress.length - 1], 'end');
    const status = client.notifications.filter((n) => n.method === 'faultline/status').map((n) => n.params as { index?: { state: string; files: number } });
    assert.ok(status.some((s) => s.index?.state === 'ready' && s.index.files >= 2), JSON.stringify(status));
  } finally {
    await client.close();
  }
});
