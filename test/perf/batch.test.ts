// CI smoke for the parallel scan (issue 12): a small synthetic tree through the worker pool and
// sequentially must give identical, deterministic results; the prefilter must agree with the
// naive indexOf test; the bench script's --smoke mode must run. No timing assertions here: speed
// is measured by `npm run bench` (docs/benchmarks.md).

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFiles, analyzePaths } from '../../server/src/analysis/batch';
import { collectSources } from '../../server/src/analysis/fileWalk';
import { compileMatcher } from '../../server/src/analysis/prefilter';
import { workerScriptPath } from '../../server/src/analysis/workerPool';
import { WorkspaceIndex } from '../../server/src/analysis/workspaceIndex';
import { scanWorkspace } from '../../server/src/analysis/workspaceScan';
import { TRIGGER_WORDS } from '../../server/src/rules';
import { mustParseProfile } from '../../server/src/model';
import { makeSyntheticTree } from '../../scripts/bench';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-perf-'));
const tree = makeSyntheticTree(path.join(tmp, 'tree'), 260);
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const opts = { targets: [], maxFileSize: 1 << 20 };

test('the worker script is found next to the compiled module', () => {
  assert.ok(workerScriptPath(), 'out/server/src/analysis/scanWorker.js should exist');
});

test('parallel and sequential scans give identical results', () => {
  const { files } = collectSources([tree]);
  const seq = analyzeFiles(files, { ...opts, workers: 0 });
  const par = analyzeFiles(files, { ...opts, workers: 2 });
  const walk = analyzePaths([tree], { ...opts, workers: 2 });
  assert.equal(seq.stats.workers, 0);
  assert.equal(par.stats.workers, 2);
  assert.ok(seq.stats.parsed > 10 && seq.stats.parsed < files.length, 'the prefilter keeps some files and drops most');
  const strip = (r: typeof seq) => ({ results: r.results, problems: r.problems, stats: { ...r.stats, workers: 0 } });
  assert.deepEqual(strip(par), strip(seq));
  assert.deepEqual(strip(walk), strip(seq));
  assert.ok(seq.results.some((r) => r.skipped?.includes('NUL')), 'the binary .c is reported as skipped');
  const sorted = [...seq.results].map((r) => r.file).sort();
  assert.deepEqual(seq.results.map((r) => r.file), sorted);
});

test('rules in the workers (facts kept there) give the sequential results on the fixtures, cross-file included', () => {
  // The fixtures and examples plus filler files, so that the pool is used (>= 64 files).
  const dir = fs.mkdtempSync(path.join(tmp, 'fixtures-'));
  const repo = path.join(__dirname, '..', '..', '..');
  for (const src of ['test/fixtures', 'examples']) fs.cpSync(path.join(repo, src), path.join(dir, src), { recursive: true });
  for (let i = 0; i < 80; i++) fs.writeFileSync(path.join(dir, `filler${i}.c`), `int filler${i}(void) { return ${i}; }\n`);
  for (const ids of [['6.12/x86_64', '6.12/arm64'], ['6.1/x86_64', '6.17/x86_64'], []]) {
    const o = { targets: ids.map(mustParseProfile), maxFileSize: 1 << 22 };
    const seq = analyzePaths([dir], { ...o, workers: 0 });
    const par = analyzePaths([dir], { ...o, workers: 2 });
    assert.equal(par.stats.workers, 2);
    assert.ok(seq.results.some((r) => r.findings.length > 0), 'the fixtures have findings');
    assert.deepEqual({ ...par, stats: { ...par.stats, workers: 0 } }, { ...seq, stats: { ...seq.stats, workers: 0 } }, ids.join(' '));
  }
});

test('walk output paths are path.join of the argument, however the argument is spelled', () => {
  const rel = path.relative(process.cwd(), tree);
  const spellings = [tree, `${tree}/`, `${tree}//`, `${tree}/../${path.basename(tree)}`, rel, `${rel}/`, `./${rel}`];
  const reference = (arg: string): string[] => {
    const out: string[] = [];
    const walk = (dir: string): void => {
      const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(full);
      }
    };
    walk(arg);
    return out;
  };
  for (const arg of spellings) assert.deepEqual(collectSources([arg]).files, reference(arg), arg);
});

test('missing paths are reported without analysing anything', () => {
  const r = analyzePaths([path.join(tmp, 'nope')], opts);
  assert.deepEqual(r.missing, [path.join(tmp, 'nope')]);
  assert.equal(r.results.length, 0);
});

test('the anchored prefilter agrees with one indexOf per word', () => {
  const m = compileMatcher(TRIGGER_WORDS);
  const alphabet = 'vmpfn_tiseruhgaol opxcd\n';
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const len = rnd(200);
    for (let k = 0; k < len; k++) s += alphabet[rnd(alphabet.length)];
    if (rnd(4) === 0) {
      const w = TRIGGER_WORDS[rnd(TRIGGER_WORDS.length)]!;
      const at = rnd(s.length + 1);
      s = s.slice(0, at) + w.slice(0, rnd(2) ? w.length : Math.max(1, w.length - 1)) + s.slice(at);
    }
    const buf = Buffer.from(s);
    const naive = TRIGGER_WORDS.some((w) => buf.indexOf(w) !== -1);
    assert.equal(m.test(buf), naive, JSON.stringify(s));
  }
  const other = compileMatcher(['abc', 'bcd', 'x', 'zzzzzzzzzzzz']);
  assert.equal(other.test(Buffer.from('..bcd..')), true);
  assert.equal(other.test(Buffer.from('..bc..zzzzzzzzzzz')), false);
  assert.equal(other.test(Buffer.from('xx'), 1, 2), true);
  assert.equal(other.test(Buffer.from('ab x'), 0, 3), false);
});

test('workspace scan fills the index through the pool, with progress, and can be cancelled', async () => {
  const index = new WorkspaceIndex();
  const progress: number[] = [];
  const r = await scanWorkspace([tree], index, { maxFiles: 10_000, workers: 2, onProgress: (done) => progress.push(done), isCancelled: () => false });
  assert.equal(r.partial, false);
  assert.ok(index.size > 10);
  assert.ok(progress.length > 0);
  const index2 = new WorkspaceIndex();
  let calls = 0;
  const c = await scanWorkspace([tree], index2, { maxFiles: 10_000, workers: 2, onProgress: () => undefined, isCancelled: () => ++calls > 1 });
  assert.equal(c.partial, true);
  const capped = await scanWorkspace([tree], new WorkspaceIndex(), { maxFiles: 50, workers: 0, onProgress: () => undefined, isCancelled: () => false });
  assert.equal(capped.partial, true);
  assert.ok(capped.files <= 50);
});

test('bench --smoke runs end to end', { skip: !fs.existsSync(path.join(__dirname, '..', '..', '..', 'dist', 'server.js')) && 'dist/ not built' }, () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'bench.js'), '--smoke', '--runs', '3', '--no-spatch'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\| `faultline check` \|/);
  assert.match(r.stdout, /didChange → publishDiagnostics/);
});
