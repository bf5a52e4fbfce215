// The robustness fuzzer in `npm test` (docs/robustness.md): every regression fixture that a fuzz
// run once broke, then a short seeded run with every mutator and one of each huge generator.
// The long runs (≥ 2,000 iterations in CI, 10,000 for the numbers in the docs) use
// `npm run fuzz`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkInput } from '../../scripts/fuzzing/harness';
import { HUGE, MUTATORS, tokenize } from '../../scripts/fuzzing/mutators';
import { Rng } from '../../scripts/fuzzing/prng';
import { runFuzz } from '../../scripts/fuzzing/runner';
import { REPO } from '../support/lspClient';

const REGRESSIONS = path.join(REPO, 'test', 'fixtures', 'regressions');
const CHECK = { budgetMs: 2000, timeLimitMs: 20_000, maxFileSize: 32 * 1024 * 1024, root: REPO };

test('regression fixtures found by the fuzzer stay fixed', () => {
  const files = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((f) => f.endsWith('.c')).sort() : [];
  assert.ok(files.length > 0, 'at least one regression fixture');
  for (const f of files) {
    const text = fs.readFileSync(path.join(REGRESSIONS, f), 'utf8');
    for (let targets = 0; targets < 3; targets++) {
      const r = checkInput(f, text, new Rng(targets + 1), CHECK, targets);
      assert.deepEqual(r.failures, [], `${f} (target set ${targets})`);
    }
  }
});

test('the PRNG and the mutators are deterministic for a seed', () => {
  const text = fs.readFileSync(path.join(REPO, 'examples', 'gpu_bo_huge_fault.c'), 'utf8');
  for (const m of MUTATORS) {
    assert.equal(m.apply(text, new Rng(42), [text]), m.apply(text, new Rng(42), [text]), m.name);
  }
  const kinds = new Set(tokenize(text).map((t) => t.kind));
  for (const k of ['comment', 'directive', 'identifier', 'number', 'bracket', 'operator', 'space']) assert.ok(kinds.has(k as never), k);
});

test('a short seeded fuzz run finds no crash, timeout, memory blow-up or bad range', async () => {
  const summary = await runFuzz(REPO, {
    ...CHECK,
    iterations: 160,
    seed: 20_251_126,
    hugeEvery: 40, // one of each huge generator
    maxRssMb: 1536,
  });
  assert.equal(summary.iterations, 160);
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.passed, 160);
  for (const m of [...MUTATORS, ...HUGE]) assert.ok((summary.byMutator[m.name] ?? 0) > 0 || HUGE.includes(m), `mutator ${m.name} ran`);
  assert.ok(summary.partial >= 2, 'the 20 MB and 100k-line inputs hit the time budget and come back partial');
});
