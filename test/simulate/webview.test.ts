// The webview HTML is a pure function: strict CSP with a nonce, nothing remote, strings escaped,
// clickable handler steps, the matrix as a table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildMatrixHtml, buildTraceHtml, type TraceLike } from '../../client/src/simulateHtml';
import { analyzeText } from '../../server/src/analysis/documentAnalysis';
import { simulate, type SimulationMatrix, type SimulationTrace } from '../../server/src/features/simulate';
import { mustParseProfile } from '../../server/src/model';
import { REPO } from '../support/lspClient';

const GPU = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');

function real(mode: 'trace' | 'matrix'): SimulationTrace | SimulationMatrix {
  const a = analyzeText(GPU, fs.readFileSync(GPU, 'utf8'), { profiles: [mustParseProfile('5.11/x86_64')] });
  const r = simulate({ facts: a.facts, file: GPU, uri: 'file:///gpu.c', profiles: a.profiles, handler: 'gbo_huge_fault', scenario: { level: 'pmd' }, mode });
  assert.ok(r.ok);
  return r.value;
}

test('trace HTML: CSP with nonce, no remote content, clickable steps, verdict', () => {
  const html = buildTraceHtml(real('trace') as SimulationTrace, 'N0NCE');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /<script nonce="N0NCE">/);
  assert.match(html, /<style nonce="N0NCE">/);
  assert.match(html, /data-action="reveal" data-step="\d+"[^>]*>gpu_bo_huge_fault\.c:\d+<\/a>/);
  assert.match(html, /data-action="matrix"/);
  assert.match(html, /Verdict: GUP_DEREFS_MISSING_STRUCT_PAGE/);
  assert.match(html, /var\(--vscode-foreground\)/);
});

test('trace HTML escapes everything that comes from the server', () => {
  const evil: TraceLike = {
    mode: 'trace',
    handler: '<img src=x onerror=alert(1)>',
    target: '6.12/x86_64',
    scenario: { level: '"><script>x</script>' },
    steps: [{ n: 1, kind: 'handler', text: 'if (a < b && c > d) → true', confidence: 'verified', source: { file: '/x/<b>.c', line: 0, character: 0 }, fork: 0 }],
    forks: [{ step: 1, question: 'q', taken: 'true', alternatives: [{ choice: 'true' }, { choice: 'false', verdict: { kind: 'SAFE', summary: '<i>x</i>' } }] }],
    verdict: { kind: 'SAFE', summary: "it's <fine>" },
  };
  const html = buildTraceHtml(evil, 'n');
  assert.doesNotMatch(html, /<img|<script>x|<b>\.c|<i>x|<fine>/);
  assert.match(html, /if \(a &lt; b &amp;&amp; c &gt; d\)/);
  assert.match(html, /it&#39;s &lt;fine&gt;/);
});

test('matrix HTML: one table per target with verdict cells', () => {
  const html = buildMatrixHtml(real('matrix') as SimulationMatrix, 'n2');
  assert.match(html, /<h2>5\.11\/x86_64<\/h2><table>/);
  assert.match(html, /<td class="bad"[^>]*>GUP_DEREFS_MISSING_STRUCT_PAGE\*?<\/td>/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /script-src 'nonce-n2'/);
});
