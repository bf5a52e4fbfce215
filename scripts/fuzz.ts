// `npm run fuzz -- --iterations N --seed S [--tree DIR]`: the deterministic robustness fuzzer
// (docs/robustness.md). Prints `N passed, N failed` first (CI greps it), then timing and memory;
// exits 1 if any input broke a property, 2 on bad arguments. Failing inputs are written to
// test/fixtures/regressions/<hash>.c, which test/fuzz/fuzz.test.ts replays in `npm test`.

import * as path from 'node:path';
import { runFuzz, summaryLines, treeSources } from './fuzzing/runner';

const REPO = path.resolve(__dirname, '..', '..');

const USAGE = 'usage: fuzz [--iterations N] [--seed S] [--tree DIR]... [--tree-limit N] [--budget-ms MS] [--time-limit-ms MS] [--max-rss-mb MB] [--huge-every N] [--no-write] [--quiet]';

async function main(argv: string[]): Promise<number> {
  const num = new Map<string, number>([
    ['iterations', 2000], ['seed', 1], ['tree-limit', 3000], ['budget-ms', 2000], ['time-limit-ms', 15000], ['max-rss-mb', 1536], ['huge-every', 100],
  ]);
  const trees: string[] = [];
  let write = true;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
    if (a === '--no-write') write = false;
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('--') && (num.has(flag) || flag === 'tree')) {
      const v = inline ?? argv[++i];
      if (v === undefined) return usage(`--${flag} needs a value`);
      if (flag === 'tree') trees.push(path.resolve(v));
      else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) return usage(`--${flag} ${v}: expected a non-negative integer`);
        num.set(flag, n);
      }
    } else return usage(`unknown argument ${a}`);
  }
  const treeFiles = trees.flatMap((t) => treeSources(t, num.get('tree-limit')!));
  const seed = num.get('seed')!;
  const log = (line: string): void => void process.stderr.write(line + '\n');
  if (!quiet) log(`fuzz: seed ${seed}, ${num.get('iterations')} iterations, corpus = examples + test/fixtures${treeFiles.length ? ` + ${treeFiles.length} files from ${trees.join(', ')}` : ''}`);
  const summary = await runFuzz(REPO, {
    iterations: num.get('iterations')!,
    seed,
    treeFiles,
    hugeEvery: num.get('huge-every')!,
    maxRssMb: num.get('max-rss-mb')!,
    budgetMs: num.get('budget-ms')!,
    timeLimitMs: num.get('time-limit-ms')!,
    maxFileSize: 32 * 1024 * 1024,
    root: REPO,
    ...(write ? { regressionDir: path.join(REPO, 'test', 'fixtures', 'regressions') } : {}),
    log,
  });
  for (const line of summaryLines(summary, seed)) process.stdout.write(line + '\n');
  return summary.failed > 0 ? 1 : 0;
}

function usage(problem: string): number {
  process.stderr.write(`fuzz: ${problem}\n${USAGE}\n`);
  return 2;
}

void main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fuzz: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
