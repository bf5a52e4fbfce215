// The fuzz loop shared by `npm run fuzz` (scripts/fuzz.ts) and test/fuzz/fuzz.test.ts: corpus,
// deterministic schedule of mutators from one seed, property checks, regression fixtures.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkInput, TARGET_SETS, type CheckOptions } from './harness';
import { HUGE, MUTATORS, type Mutator } from './mutators';
import { Rng } from './prng';

export interface FuzzOptions extends CheckOptions {
  iterations: number;
  seed: number;
  /** Extra C sources (a kernel tree given with --tree). */
  treeFiles?: string[];
  /** Every `hugeEvery`-th iteration uses one of the huge generators (0: never). */
  hugeEvery: number;
  /** RSS bound in MB (property: memory stays bounded). */
  maxRssMb: number;
  /** Where failing inputs are written (test/fixtures/regressions); undefined: not written. */
  regressionDir?: string;
  log?: (line: string) => void;
}

export interface FuzzSummary {
  iterations: number;
  passed: number;
  failed: number;
  skipped: number;
  partial: number;
  seconds: number;
  maxInputMs: number;
  p99InputMs: number;
  peakRssMb: number;
  findings: number;
  hovers: number;
  actions: number;
  simulations: number;
  byMutator: Record<string, number>;
  failures: { iteration: number; mutators: string[]; fixture?: string; failures: string[] }[];
}

export function corpusFiles(repo: string, treeFiles: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.c')) out.push(p);
    }
  };
  for (const f of fs.readdirSync(path.join(repo, 'examples')).sort()) if (f.endsWith('.c')) out.push(path.join(repo, 'examples', f));
  walk(path.join(repo, 'test', 'fixtures'));
  return [...out, ...treeFiles];
}

/** C sources under a kernel tree, in a stable order, at most `limit` of them. */
export function treeSources(dir: string, limit: number, maxBytes = 1024 * 1024): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (out.length >= limit) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) {
        try {
          if (fs.statSync(p).size <= maxBytes) out.push(p);
        } catch {
          // unreadable: not part of the corpus
        }
      }
    }
  };
  walk(dir);
  return out;
}

function readCorpus(files: readonly string[]): { name: string; text: string }[] {
  return files.map((f) => ({ name: path.basename(f), text: fs.readFileSync(f).toString('utf8') }));
}

export function fixtureName(text: string): string {
  return `${createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 12)}.c`;
}

/**
 * tree-sitter's Node binding frees a tree's native memory in an N-API finalizer, which runs only
 * when the event loop turns: a synchronous loop over thousands of parses grows RSS without
 * bound. The fuzz loop therefore yields after every input, as the language server does between
 * messages (measured: 65 MB per 3 MB parse retained without yielding, flat with it).
 */
function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function runFuzz(repo: string, options: FuzzOptions): Promise<FuzzSummary> {
  const log = options.log ?? (() => undefined);
  const corpus = readCorpus(corpusFiles(repo, options.treeFiles));
  const texts = corpus.map((c) => c.text);
  const master = new Rng(options.seed);
  const summary: FuzzSummary = {
    iterations: 0, passed: 0, failed: 0, skipped: 0, partial: 0, seconds: 0, maxInputMs: 0, p99InputMs: 0, peakRssMb: 0,
    findings: 0, hovers: 0, actions: 0, simulations: 0, byMutator: {}, failures: [],
  };
  const times: number[] = [];
  let memoryReported = false;
  const gc = (globalThis as { gc?: () => void }).gc;
  const start = performance.now();
  for (let i = 0; i < options.iterations; i++) {
    const rng = master.fork(i);
    const seedInput = rng.pick(corpus);
    const huge = options.hugeEvery > 0 && i % options.hugeEvery === options.hugeEvery - 1;
    const chain: Mutator[] = huge ? [HUGE[Math.floor(i / options.hugeEvery) % HUGE.length]!] : Array.from({ length: rng.range(0, 4) }, () => rng.pick(MUTATORS));
    let text = seedInput.text;
    const names: string[] = [];
    for (const m of chain) {
      names.push(m.name);
      summary.byMutator[m.name] = (summary.byMutator[m.name] ?? 0) + 1;
      try {
        text = m.apply(text, rng, texts);
      } catch (err) {
        log(`mutator ${m.name} failed (fuzzer bug): ${(err as Error).message}`);
      }
    }
    const name = `${seedInput.name}#${i}`;
    const r = checkInput(name, text, rng, options, i % TARGET_SETS.length);
    await turnEventLoop();
    if (gc && (huge || i % 50 === 49)) {
      gc();
      await turnEventLoop();
    }
    summary.iterations++;
    times.push(r.ms);
    summary.maxInputMs = Math.max(summary.maxInputMs, r.ms);
    summary.findings += r.findings;
    summary.hovers += r.hovers;
    summary.actions += r.actions;
    summary.simulations += r.simulations;
    if (r.skipped) summary.skipped++;
    if (r.partial) summary.partial++;
    const rss = process.memoryUsage().rss / (1024 * 1024);
    summary.peakRssMb = Math.max(summary.peakRssMb, rss);
    // Reported once, for the input that crossed the bound (RSS does not shrink afterwards).
    if (rss > options.maxRssMb && !memoryReported) {
      memoryReported = true;
      r.failures.push(`RSS ${Math.round(rss)} MB after this input, above the ${options.maxRssMb} MB bound`);
    }
    if (r.failures.length === 0) {
      summary.passed++;
      continue;
    }
    summary.failed++;
    const entry: FuzzSummary['failures'][number] = { iteration: i, mutators: [seedInput.name, ...names], failures: r.failures };
    if (options.regressionDir && text.length <= 2 * 1024 * 1024) {
      fs.mkdirSync(options.regressionDir, { recursive: true });
      entry.fixture = path.join(options.regressionDir, fixtureName(text));
      fs.writeFileSync(entry.fixture, text, 'utf8');
    }
    summary.failures.push(entry);
    log(`FAIL iteration ${i} (${[seedInput.name, ...names].join(' → ')})${entry.fixture ? ` → ${path.relative(repo, entry.fixture)}` : ''}`);
    for (const f of r.failures) log(`  ${f}`);
  }
  summary.seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  summary.p99InputMs = times.length ? times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]! : 0;
  return summary;
}

export function summaryLines(s: FuzzSummary, seed: number): string[] {
  return [
    `${s.passed} passed, ${s.failed} failed`,
    `seed ${seed}, ${s.iterations} iterations in ${s.seconds.toFixed(1)} s; per input p99 ${Math.round(s.p99InputMs)} ms, max ${Math.round(s.maxInputMs)} ms; peak RSS ${Math.round(s.peakRssMb)} MB`,
    `${s.skipped} skipped by the input check (NUL bytes), ${s.partial} partial (time budget); ${s.findings} findings, ${s.hovers} hovers, ${s.actions} code actions, ${s.simulations} simulations checked`,
    `mutators: ${Object.entries(s.byMutator).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
}
