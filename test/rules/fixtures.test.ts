// Fixture runner: every test/fixtures/rules/*.c file names its targets (`/* targets: V/ARCH … */`)
// and carries inline expectations on the line of each finding (`/* expect FL001 5.11/x86_64 6.1/s390 */`,
// several per line allowed) or `/* expect-none */`. The exact set of (line, rule) per profile must match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/analysis/documentAnalysis';
import { mustParseProfile } from '../../server/src/model';

const REPO = path.resolve(__dirname, '..', '..', '..');
const DIR = path.join(REPO, 'test', 'fixtures', 'rules');

function expectations(text: string): { targets: string[]; none: boolean; expected: Map<string, Set<string>> } {
  const targets = /targets:\s*([^*]+)\*\//.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  const none = /\/\*\s*expect-none\s*\*\//.test(text);
  const expected = new Map<string, Set<string>>(targets.map((t) => [t, new Set<string>()]));
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\/\*\s*expect\s+(FL\d{3})\s+([^*]+?)\s*\*\//g)) {
      for (const t of m[2]!.split(/\s+/)) {
        const set = expected.get(t);
        assert.ok(set, `line ${i + 1}: profile ${t} is not in the file's targets`);
        set.add(`${i + 1}:${m[1]}`);
      }
    }
  });
  return { targets, none, expected };
}

const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();

test('there are rule fixtures', () => {
  assert.ok(files.length >= 8);
});

for (const f of files) {
  test(`fixture ${f}`, () => {
    const text = fs.readFileSync(path.join(DIR, f), 'utf8');
    const { targets, none, expected } = expectations(text);
    assert.ok(targets.length > 0, 'fixture names its targets');
    const profiles = targets.map(mustParseProfile);
    const { findings } = analyzeText(f, text, { profiles });
    const actual = new Map<string, Set<string>>(targets.map((t) => [t, new Set<string>()]));
    for (const x of findings) for (const t of x.targets) actual.get(t)?.add(`${x.range.start.line + 1}:${x.rule}`);
    for (const t of targets) {
      const want = [...expected.get(t)!].sort();
      const got = [...actual.get(t)!].sort();
      if (none) assert.deepEqual(got, [], `${f} under ${t}: expected no findings`);
      assert.deepEqual(got, want, `${f} under ${t}: findings ${JSON.stringify(findings.filter((x) => x.targets.includes(t)).map((x) => `${x.range.start.line + 1}:${x.rule} ${x.message}`), null, 1)}`);
    }
  });
}

test('no finding under any fixture profile is an error unless the fixture expects that rule', () => {
  // Unknown inputs never produce an error.
  const text = fs.readFileSync(path.join(DIR, 'unknown_inputs.c'), 'utf8');
  const { findings } = analyzeText('unknown_inputs.c', text, { profiles: ['6.12/x86_64', '6.12/arm64', '6.1/x86_64'].map(mustParseProfile) });
  for (const x of findings) if (x.rule !== 'FL008') assert.notEqual(x.severity, 'error', `${x.rule}: ${x.message}`);
});
