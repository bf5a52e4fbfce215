// The real server over stdio, driven by a JSON-RPC client: open, incremental edit, diagnostics,
// hover, code actions, code lenses, settings problems.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, CodeLens, CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { REPO, startServer } from '../support/lspClient';

const EXAMPLE = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');
const URI = pathToFileURL(EXAMPLE).toString();
const TEXT = fs.readFileSync(EXAMPLE, 'utf8');
const LINES = TEXT.split('\n');

function lineOf(needle: string): number {
  const i = LINES.findIndex((l) => l.includes(needle));
  assert.notEqual(i, -1, `example contains ${needle}`);
  return i;
}

function codes(diags: Diagnostic[]): string[] {
  return [...new Set(diags.map((d) => String(d.code)))].sort();
}

test('diagnostics, incremental edits, hover, code actions and lenses over stdio', async () => {
  const client = await startServer({ settings: { targets: ['6.12/x86_64'] } });
  try {
    assert.equal(client.initializeResult.capabilities.hoverProvider, true);
    assert.equal(client.initializeResult.capabilities.textDocumentSync && (client.initializeResult.capabilities.textDocumentSync as { change: number }).change, 2);

    const first = client.diagnostics(URI);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'c', version: 1, text: TEXT } });
    const initial = await first;
    assert.equal(initial.version, 1);
    const initialCodes = codes(initial.diagnostics);
    assert.ok(initialCodes.includes('FL008'), `FL008 for enum page_entry_size on 6.12: ${initialCodes}`);
    assert.ok(initialCodes.includes('FL009'), `FL009 for the _prot variants on 6.12: ${initialCodes}`);
    const fl008 = initial.diagnostics.find((d) => d.code === 'FL008')!;
    assert.equal(fl008.range.start.line, lineOf('enum page_entry_size pe_size'));
    assert.match(fl008.message as string, /\[FL008\]$/);
    assert.match(fl008.message as string, /6\.12\/x86_64/);
    assert.ok(fl008.codeDescription?.href.endsWith('docs/rules/FL008.md'));

    // Incremental edit: switch the handler to the 6.6+ signature; FL008 must go away.
    const line = lineOf('enum page_entry_size pe_size');
    const col = LINES[line]!.indexOf('enum page_entry_size pe_size');
    const edited = client.diagnostics(URI, (p) => p.version === 2);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 'enum page_entry_size pe_size'.length } }, text: 'unsigned int order' }],
    });
    const after = await edited;
    assert.ok(!codes(after.diagnostics).includes('FL008'), `FL008 gone after the edit: ${codes(after.diagnostics)}`);
    assert.ok(codes(after.diagnostics).includes('FL009'));

    // Hover on the _prot call shows the finding there.
    const protLine = lineOf('vmf_insert_pfn_pmd_prot(');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: protLine, character: LINES[protLine]!.indexOf('vmf_insert_pfn_pmd_prot') + 3 },
    })) as Hover | null;
    assert.ok(hover, 'hover on the insertion call');
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /vmf_insert_pfn_pmd_prot/);

    // Code actions at the FL009 finding include a suppression edit.
    const fl009 = after.diagnostics.find((d) => d.code === 'FL009')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: fl009.range,
      context: { diagnostics: [fl009] },
    })) as CodeAction[];
    const suppress = actions.find((a) => a.title.startsWith('Suppress FL009'));
    assert.ok(suppress?.edit?.changes?.[URI]?.[0]?.newText.includes('faultline-disable-next-line FL009'));

    // A lens above each handler named in the ops table.
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } })) as CodeLens[];
    const lensLines = lenses.map((l) => l.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lensLines, [lineOf('static vm_fault_t gbo_huge_fault'), lineOf('static vm_fault_t gbo_fault')].sort((a, b) => a - b));
    assert.ok(lenses.every((l) => l.command?.title.includes('Simulate fault path')));
  } finally {
    await client.close();
  }
});

test('bad settings give one clear message and a fallback, and the server keeps serving', async () => {
  const client = await startServer({ settings: { targets: ['7.99/vax'], rules: { FL001: 'loud' }, maxFileSize: 'big' } });
  try {
    const diags = client.diagnostics(URI);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'c', version: 1, text: TEXT } });
    const published = await diags;
    assert.ok(published.diagnostics.length > 0, 'analysed under the default targets');
    const messages = client.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(messages.some((m) => m.includes('7.99/vax')), `message names the bad target: ${messages}`);
    assert.ok(messages.some((m) => m.includes('faultline.rules.FL001')));
    assert.ok(messages.some((m) => m.includes('faultline.maxFileSize')));
    assert.equal(messages.length, 1, `one message for one bad settings object: ${JSON.stringify(messages)}`);
    // Each problem is shown once even if the document is analysed again.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: TEXT + '\n' }] });
    await client.diagnostics(URI, (p) => p.version === 2);
    const again = client.notifications.filter((n) => n.method === 'window/showMessage' && (n.params as { message: string }).message.includes('7.99/vax'));
    assert.equal(again.length, 1);
  } finally {
    await client.close();
  }
});
