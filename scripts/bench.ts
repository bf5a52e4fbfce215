// Benchmark (issue 12): `npm run bench -- --tree /path/to/linux`.
// Side by side in one run, each command N times (interleaved, after a warm-up that fills the file
// cache): `faultline check` over the tree, grep -rlE for the same names, spatch (when installed)
// merely finding the huge insertion calls, and a bare tree-sitter parse of the files Faultline
// analyses; then LSP latencies through the real stdio server. Prints a markdown report (median,
// min, max); --markdown FILE also writes it. `--smoke` runs everything on a small synthetic tree
// (CI). See docs/benchmarks.md.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchLsp, type LspBenchResult } from './bench-lsp';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SERVER = path.join(ROOT, 'dist', 'server.js');

/**
 * The byte patterns Faultline's prefilter looks for with these targets (server/src/rules/index.ts
 * ruleTriggers + INDEX_TRIGGERS), as one grep -E pattern: whole words as \b…\b, the vm_flags
 * member write as `->\s*vm_flags\s*<op>=` (single line; grep cannot look across lines).
 */
function triggerPattern(targets: readonly string[]): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const rules = require('../server/src/rules') as typeof import('../server/src/rules');
  const { mustParseProfile } = require('../server/src/model') as typeof import('../server/src/model');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const triggers = [...rules.ruleTriggers(targets.length > 0 ? targets.map(mustParseProfile) : undefined), ...rules.INDEX_TRIGGERS];
  return triggers
    .map((t) => (t.memberWrite ? `->[[:space:]]*${t.word}[[:space:]]*([|&^]=|=([^=]|$))` : t.wholeWord ? `\\b${t.word}\\b` : t.word))
    .join('|');
}

const HUGE_APIS = ['vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud', 'vmf_insert_folio_pmd', 'vmf_insert_folio_pud'];

interface Args {
  tree?: string;
  runs: number;
  targets: string[];
  edits: number;
  hovers: number;
  lspFile: string;
  lsp: boolean;
  spatch: boolean;
  smoke: boolean;
  markdown?: string;
  indexWaitMs: number;
}

function parseArgs(argv: string[]): Args {
  const targets: string[] = [];
  const a: Args = { runs: 3, targets: ['6.12/x86_64', '6.12/arm64'], edits: 200, hovers: 200, lspFile: 'mm/memory.c', lsp: true, spatch: true, smoke: false, indexWaitMs: 120_000 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--tree') a.tree = v();
    else if (k === '--runs') a.runs = Math.max(1, Number(v()));
    else if (k === '--target') targets.push(v());
    else if (k === '--edits') a.edits = Number(v());
    else if (k === '--hovers') a.hovers = Number(v());
    else if (k === '--lsp-file') a.lspFile = v();
    else if (k === '--index-wait-ms') a.indexWaitMs = Number(v());
    else if (k === '--no-lsp') a.lsp = false;
    else if (k === '--no-spatch') a.spatch = false;
    else if (k === '--smoke') a.smoke = true;
    else if (k === '--markdown') a.markdown = v();
    else throw new Error(`unknown argument ${k}`);
  }
  if (targets.length > 0) a.targets = targets;
  return a;
}

// ---- measuring child processes -----------------------------------------------------------

interface Sample {
  wallS: number;
  cpuS?: number;
  rssKb?: number;
  stdout: string;
  code: number | null;
}

const GNU_TIME = ['/usr/bin/time'].find((p) => fs.existsSync(p));

function measure(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Sample {
  const t = process.hrtime.bigint();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', '@@TIME %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: env ?? process.env })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, env: env ?? process.env });
  const wallS = Number(process.hrtime.bigint() - t) / 1e9;
  const s: Sample = { wallS, stdout: r.stdout ?? '', code: r.status };
  const m = /@@TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (m) {
    s.cpuS = Number(m[1]) + Number(m[2]);
    s.rssKb = Number(m[3]);
  }
  if (r.error) throw r.error;
  return s;
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

// ---- the tools ---------------------------------------------------------------------------

interface Tool {
  name: string;
  command: string;
  run(): Sample;
  /** Files parsed / found, from the output. */
  summary(s: Sample): string;
}

function hasSpatch(): boolean {
  return spawnSync('spatch', ['--version'], { encoding: 'utf8' }).status === 0;
}

function cocciFile(dir: string): string {
  const f = path.join(dir, 'faultline-bench.cocci');
  const alts = HUGE_APIS.map((n) => `${n}@p(...)`).join('\n|\n');
  fs.writeFileSync(f, `@r@\nposition p;\n@@\n(\n${alts}\n)\n\n@script:python@\np << r.p;\n@@\nfor x in p:\n    print("%s:%s" % (x.file, x.line))\n`);
  return f;
}

function tools(tree: string, a: Args, tmp: string): Tool[] {
  const targetArgs = a.targets.flatMap((t) => ['--target', t]);
  const pattern = triggerPattern(a.targets);
  const out: Tool[] = [
    {
      name: 'faultline check',
      command: `node dist/cli.js check ${targetArgs.join(' ')} --format json --fail-on never --quiet ${tree}`,
      run: () => measure(process.execPath, [CLI, 'check', ...targetArgs, '--format', 'json', '--fail-on', 'never', '--quiet', tree]),
      summary: (s) => {
        try {
          const j = JSON.parse(s.stdout) as { findings: { severity?: string }[] };
          const errors = j.findings.filter((f) => f.severity === 'error').length;
          return `${j.findings.length} findings (${errors} errors)`;
        } catch {
          return `unparsable output (exit ${s.code})`;
        }
      },
    },
    {
      name: 'grep -rlE (trigger words)',
      command: `grep -rlE '${pattern}' --include='*.[ch]' ${tree}`,
      run: () => measure('grep', ['-rlE', pattern, '--include=*.[ch]', tree]),
      summary: (s) => `${s.stdout.split('\n').filter(Boolean).length} files`,
    },
    {
      name: 'grep -rlE (huge APIs)',
      command: `grep -rlE 'vmf_insert_(pfn|folio)_p[mu]d|huge_fault' --include='*.[ch]' ${tree}`,
      run: () => measure('grep', ['-rlE', 'vmf_insert_(pfn|folio)_p[mu]d|huge_fault', '--include=*.[ch]', tree]),
      summary: (s) => `${s.stdout.split('\n').filter(Boolean).length} files`,
    },
    {
      name: 'tree-sitter bare parse (1 thread)',
      command: `node out/scripts/bench.js --bare-parse ${tree} ${targetArgs.join(' ')}`,
      run: () => measure(process.execPath, [__filename, '--bare-parse', tree, ...targetArgs]),
      summary: (s) => s.stdout.trim(),
    },
  ];
  if (a.spatch && hasSpatch()) {
    const sp = cocciFile(tmp);
    out.push({
      name: 'spatch -j 2 --include-headers',
      command: `spatch -j 2 --include-headers --very-quiet --sp-file faultline-bench.cocci --dir ${tree}`,
      run: () => measure('spatch', ['-j', '2', '--include-headers', '--very-quiet', '--sp-file', sp, '--dir', tree]),
      summary: (s) => `${s.stdout.split('\n').filter((l) => /:\d+$/.test(l)).length} calls`,
    });
  }
  return out;
}

/**
 * Hidden mode: walk + the same byte prefilter (first tier, for the --target profiles) + tree-sitter
 * parse, one thread; prints counts. Second-tier files (analysed only when they install a
 * first-tier ops table) are not parsed here, so this is a lower bound of Faultline's parse work.
 */
function bareParse(tree: string, targets: readonly string[]): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { forEachSource } = require('../server/src/analysis/fileWalk') as typeof import('../server/src/analysis/fileWalk');
  const { compileMatcher } = require('../server/src/analysis/prefilter') as typeof import('../server/src/analysis/prefilter');
  const { ruleTriggers } = require('../server/src/rules') as typeof import('../server/src/rules');
  const { mustParseProfile } = require('../server/src/model') as typeof import('../server/src/model');
  const { parseC } = require('../server/src/parsing/parser') as typeof import('../server/src/parsing/parser');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const m = compileMatcher(ruleTriggers(targets.length > 0 ? targets.map(mustParseProfile) : undefined));
  let files = 0;
  let parsed = 0;
  let bytes = 0;
  let parseMs = 0;
  forEachSource([tree], (f) => {
    files++;
    const b = fs.readFileSync(f);
    if (!m.test(b)) return;
    const t = performance.now();
    parseC(b.toString('utf8'));
    parseMs += performance.now() - t;
    parsed++;
    bytes += b.length;
  });
  process.stdout.write(`${parsed}/${files} files parsed, ${(bytes / 1e6).toFixed(1)} MB, parse alone ${(parseMs / 1000).toFixed(2)} s\n`);
}

// ---- synthetic tree (smoke mode, tests) ---------------------------------------------------

export function makeSyntheticTree(dir: string, files = 300): string {
  const drv = (i: number): string => `// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>
#include <linux/huge_mm.h>

static vm_fault_t demo${i}_huge_fault(struct vm_fault *vmf, unsigned int order)
{
\tunsigned long pfn = demo${i}_base + ((vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT);

\tif (order == PMD_ORDER)
\t\treturn vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), vmf->flags & FAULT_FLAG_WRITE);
\treturn VM_FAULT_FALLBACK;
}

static vm_fault_t demo${i}_fault(struct vm_fault *vmf)
{
\treturn demo${i}_huge_fault(vmf, 0);
}

static const struct vm_operations_struct demo${i}_vm_ops = {
\t.fault = demo${i}_fault,
\t.huge_fault = demo${i}_huge_fault,
};

static int demo${i}_mmap(struct file *file, struct vm_area_struct *vma)
{
\tvm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND);
\tvma->vm_ops = &demo${i}_vm_ops;
\treturn 0;
}

static const struct file_operations demo${i}_fops = {
\t.mmap = demo${i}_mmap,
};
`;
  const plain = (i: number): string => `// SPDX-License-Identifier: GPL-2.0\n#include <linux/kernel.h>\n\nint plain${i}(int a, int b)\n{\n\tint s = 0;\n\tfor (int k = 0; k < a; k++)\n\t\ts += k * b;\n\treturn s;\n}\n`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n');
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, i % 3 === 0 ? 'drivers/demo' : i % 3 === 1 ? 'mm' : 'lib', String(i % 7));
    fs.mkdirSync(sub, { recursive: true });
    const body = i % 10 === 0 ? drv(i) : plain(i);
    fs.writeFileSync(path.join(sub, `f${i}.${i % 4 === 3 ? 'h' : 'c'}`), body);
  }
  fs.writeFileSync(path.join(dir, 'lib', 'blob.c'), Buffer.from([0x76, 0x6d, 0, 1, 2, 3]));
  // A long file for the LSP part (mm/memory.c stand-in).
  fs.writeFileSync(path.join(dir, 'mm', 'memory.c'), Array.from({ length: 40 }, (_, i) => drv(1000 + i)).join('\n/* ---- */\n'));
  return dir;
}

// ---- report ------------------------------------------------------------------------------

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--bare-parse') return bareParse(process.argv[3]!, process.argv.slice(4).filter((_x, i, all) => all[i - 1] === '--target'));
  const a = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));
  try {
    let tree = a.tree;
    if (a.smoke) {
      tree = makeSyntheticTree(path.join(tmp, 'tree'));
      if (!process.argv.includes('--edits')) a.edits = 20;
      if (!process.argv.includes('--hovers')) a.hovers = 20;
      a.spatch = a.spatch && process.argv.includes('--with-spatch');
      a.indexWaitMs = 0;
    }
    if (!tree) throw new Error('--tree /path/to/linux is required (or --smoke); see docs/benchmarks.md');
    tree = path.resolve(tree);
    if (!fs.existsSync(CLI) || !fs.existsSync(SERVER)) throw new Error('dist/ is missing: run npm run build first (npm run bench does)');
    const list = tools(tree, a, tmp);
    const lines: string[] = [];
    const say = (s = ''): void => {
      lines.push(s);
      process.stdout.write(s + '\n');
    };
    say(`## ${new Date().toISOString().slice(0, 10)} — ${a.smoke ? 'smoke (synthetic tree)' : tree}`);
    say();
    say(`- machine: ${machine()}`);
    say(`- command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\` (${a.runs} runs each, interleaved, after one warm-up run of each)`);

    // Warm-up (fills the page cache), then interleaved runs.
    const samples = new Map<string, Sample[]>(list.map((t) => [t.name, []]));
    for (const t of list) t.run();
    for (let r = 0; r < a.runs; r++) for (const t of list) samples.get(t.name)!.push(t.run());

    // Faultline's own counts (files, bytes, parsed) from one JSON-less run of the library.
    /* eslint-disable-next-line @typescript-eslint/no-require-imports */
    const { analyzePaths } = require('../server/src/analysis/batch') as typeof import('../server/src/analysis/batch');
    /* eslint-disable-next-line @typescript-eslint/no-require-imports */
    const { parseProfile } = require('../server/src/model') as typeof import('../server/src/model');
    const profiles = a.targets.map((t) => {
      const p = parseProfile(t);
      if (!p.ok) throw new Error(p.error);
      return p.profile;
    });
    const counts = analyzePaths([tree], { targets: profiles, maxFileSize: 32 * 1024 * 1024 }).stats;
    say(`- tree: ${counts.files} .c/.h files, ${(counts.bytes / 1e6).toFixed(0)} MB; Faultline prefilter kept ${counts.candidates} (${counts.codeless ?? 0} more had their trigger words only in comments, strings or directives; second tier: ${counts.deferred ?? 0} files mention only vm_ops, ${(counts.indexOnly ?? 0) + (counts.heldBack ?? 0)} of them install a first-tier ops table, ${counts.indexOnly ?? 0} analysed: only when some file's rules ask the index), parsed ${counts.parsed}, ${counts.workers} worker threads`);
    say();
    say('| command | wall s median | min | max | CPU s median | peak RSS MB | output |');
    say('|---|---|---|---|---|---|---|');
    const med = new Map<string, number>();
    for (const t of list) {
      const ss = samples.get(t.name)!;
      const w = stats(ss.map((s) => s.wallS));
      med.set(t.name, w.median);
      const cpu = ss.every((s) => s.cpuS !== undefined) ? stats(ss.map((s) => s.cpuS!)).median : undefined;
      const rss = ss.every((s) => s.rssKb !== undefined) ? Math.max(...ss.map((s) => s.rssKb!)) / 1024 : undefined;
      say(`| \`${t.name}\` | ${fmt(w.median)} | ${fmt(w.min)} | ${fmt(w.max)} | ${fmt(cpu)} | ${fmt(rss, 0)} | ${t.summary(ss[ss.length - 1]!)} |`);
    }
    say();
    const fl = med.get('faultline check')!;
    const ratio = (name: string, label: string): void => {
      const x = med.get(name);
      if (x !== undefined) say(`- ${label}: ${fmt(fl / x)}× (faultline ${fmt(fl)} s / ${fmt(x)} s)`);
    };
    ratio('grep -rlE (trigger words)', 'faultline / grep (trigger words) [target ≤ 1.5]');
    ratio('grep -rlE (huge APIs)', 'faultline / grep (huge APIs, toolchain.md §4 pattern) [target ≤ 1.5]');
    ratio('tree-sitter bare parse (1 thread)', 'faultline / bare parse of the same files [product.md §6: ≤ 1.5]');
    const sp = med.get('spatch -j 2 --include-headers');
    if (sp !== undefined) say(`- spatch / faultline: ${fmt(sp / fl)}× faster [target ≥ 2.5]`);
    else say('- spatch: not installed (apt-get install coccinelle) or skipped');

    if (a.lsp) {
      const file = path.join(tree, a.lspFile);
      const r: LspBenchResult = await benchLsp({ server: SERVER, file, root: tree, edits: a.edits, hovers: a.hovers, targets: a.targets, debounceMs: 1, indexWaitMs: a.indexWaitMs });
      const lines = fs.readFileSync(file, 'utf8').split('\n').length;
      say();
      say(`LSP (\`node dist/server.js --stdio\`, ${a.lspFile}, ${lines} lines, faultline.debounceMs = 1, ${r.editMs.length} one-character edits, ${r.hoverMs.length} hovers):`);
      say();
      say('| measure | p50 ms | p95 ms | max ms | target |');
      say('|---|---|---|---|---|');
      say(`| didChange → publishDiagnostics (same version) | ${fmt(pct(r.editMs, 50), 1)} | ${fmt(pct(r.editMs, 95), 1)} | ${fmt(Math.max(...r.editMs), 1)} | p95 ≤ 30 |`);
      if (r.analysisMs.length > 0) say(`| server-side analysis (faultline/status lastAnalysisMs) | ${fmt(pct(r.analysisMs, 50), 1)} | ${fmt(pct(r.analysisMs, 95), 1)} | ${fmt(Math.max(...r.analysisMs), 1)} | |`);
      say(`| hover request → response | ${fmt(pct(r.hoverMs, 50), 1)} | ${fmt(pct(r.hoverMs, 95), 1)} | ${fmt(Math.max(...r.hoverMs), 1)} | p95 ≤ 10 |`);
      say(`| server spawn → first diagnostics | ${fmt(r.startToFirstDiagnosticsMs, 0)} | | | ≤ 500 |`);
      say();
      const idx = r.index.progressSeen ? `background index ${r.index.ended ? 'finished' : 'still running'} after ${r.index.waitedMs} ms wait${r.index.message ? ` (${r.index.message})` : ''}` : 'no background index progress reported by the server';
      say(`- server RSS at the end: ${(r.rssKb / 1024).toFixed(0)} MB (peak ${(r.hwmKb / 1024).toFixed(0)} MB; target ≤ 200); ${idx}`);
    }
    if (a.markdown) fs.writeFileSync(a.markdown, lines.join('\n') + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
