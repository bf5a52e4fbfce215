// `faultline check` on the examples and on awkward inputs: formats, exit codes, skipped files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { REPO } from '../support/lspClient';

const EXAMPLES = path.join(REPO, 'examples');

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('text output is gcc-style with rule ids, exit 1 when errors are found', () => {
  const r = run('check', EXAMPLES, '--target', '6.12/x86_64');
  assert.equal(r.code, 1, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length > 0);
  for (const line of lines) assert.match(line, /^.+\.c:\d+:\d+: (error|warning|note): .+ \[FL\d{3}\]$/);
  assert.ok(lines.some((l) => l.includes('gpu_bo_huge_fault.c') && l.endsWith('[FL008]')));
});

test('JSON output has exactly the documented shape with 1-based positions', () => {
  const r = run('check', path.join(EXAMPLES, 'gpu_bo_huge_fault.c'), '--target', '6.12/x86_64', '--target', '5.11/x86_64', '--format', 'json');
  const doc = JSON.parse(r.out) as { version: number; findings: Record<string, unknown>[] };
  assert.equal(doc.version, 1);
  assert.deepEqual(Object.keys(doc), ['version', 'findings']);
  assert.ok(doc.findings.length > 0);
  for (const f of doc.findings) {
    assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'rule', 'severity', 'targets'].sort());
    assert.ok((f['line'] as number) >= 1 && (f['column'] as number) >= 1);
    assert.ok(Array.isArray(f['targets']) && (f['targets'] as string[]).every((t) => /^\d+\.\d+\/\w+/.test(t)));
  }
  const fl008 = doc.findings.find((f) => f['rule'] === 'FL008')!;
  assert.deepEqual(fl008['targets'], ['6.12/x86_64']);
  const src = fs.readFileSync(path.join(EXAMPLES, 'gpu_bo_huge_fault.c'), 'utf8').split('\n');
  assert.ok(src[(fl008['line'] as number) - 1]!.includes('enum page_entry_size'));
});

test('SARIF 2.1.0 output carries the required fields and rule metadata', () => {
  const r = run('check', EXAMPLES, '--target', '6.12/x86_64', '--format', 'sarif');
  const log = JSON.parse(r.out) as {
    version: string;
    runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } }; results: Record<string, unknown>[] }[];
  };
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const run0 = log.runs[0]!;
  assert.equal(run0.tool.driver.name, 'faultline');
  const ids = run0.tool.driver.rules.map((x) => x.id);
  for (let i = 1; i <= 12; i++) assert.ok(ids.includes(`FL${String(i).padStart(3, '0')}`), `rule FL${i} described`);
  assert.ok(run0.results.length > 0);
  for (const res of run0.results) {
    assert.equal(typeof res['ruleId'], 'string');
    assert.ok(['error', 'warning', 'note'].includes(res['level'] as string));
    assert.equal(typeof (res['message'] as { text: string }).text, 'string');
    const loc = (res['locations'] as { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[])[0]!;
    assert.ok(loc.physicalLocation.artifactLocation.uri.endsWith('.c'));
    assert.ok(loc.physicalLocation.region.startLine >= 1 && loc.physicalLocation.region.startColumn >= 1);
  }
});

test('--fail-on controls the exit code', () => {
  assert.equal(run('check', EXAMPLES, '--target', '6.12/x86_64', '--fail-on', 'never').code, 0);
  assert.equal(run('check', path.join(EXAMPLES, 'pci_bar_order_fault.c'), '--target', '6.12/x86_64', '--fail-on', 'error').code, 0);
});

test('usage and I/O errors exit 2 with one line on stderr', () => {
  for (const argv of [
    ['check', EXAMPLES, '--target', '7.99/vax'],
    ['check', EXAMPLES, '--format', 'xml'],
    ['check', EXAMPLES, '--bogus'],
    ['check'],
    ['check', '/nonexistent/faultline'],
    ['frobnicate'],
  ]) {
    const r = run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, `one line for ${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, /^faultline: /);
  }
  assert.match(run('check', EXAMPLES, '--target', '7.99/vax').err, /7\.99\/vax/);
});

test('binary and unreadable files are reported and skipped, never fatal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    fs.copyFileSync(path.join(EXAMPLES, 'gpu_bo_huge_fault.c'), path.join(dir, 'gpu.c'));
    const r = run('check', dir, '--target', '6.12/x86_64', '--format', 'json');
    assert.equal(r.code, 1);
    assert.match(r.err, /blob\.c: skipped: .*binary/);
    const doc = JSON.parse(r.out) as { findings: { file: string }[] };
    assert.ok(doc.findings.some((f) => f.file.endsWith('gpu.c')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the installed bin runs the bundled CLI', () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'faultline.js'), 'check', path.join(EXAMPLES, 'gpu_bo_huge_fault.c'), '--target', '6.12/x86_64'], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /\[FL008\]/);
  const v = spawnSync(process.execPath, [path.join(REPO, 'bin', 'faultline.js'), '--version'], { encoding: 'utf8' });
  assert.match(v.stdout, /^faultline \d+\.\d+\.\d+/);
});
