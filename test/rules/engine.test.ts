import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRules, type Rule, type RuleContext } from '../../server/src/rules/engine';
import { suppressedLines } from '../../server/src/rules/suppression';
import { parseProfile, type Profile } from '../../server/src/model';

function profile(id: string): Profile {
  const r = parseProfile(id);
  assert.ok(r.ok);
  return r.profile;
}

const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 8 } });

// A rule that fires on line 1 under every profile and on line 3 only on arm64.
const fake: Rule = {
  id: 'FL999',
  name: 'fake',
  defaultSeverity: 'warning',
  summary: 'test rule',
  check: (_ctx, p) => [{ range: at(1), message: 'everywhere' }, ...(p.arch === 'arm64' ? [{ range: at(3), message: 'arm only' }] : [])],
};
const broken: Rule = { id: 'FL998', name: 'broken', defaultSeverity: 'error', summary: 'throws', check: () => { throw new Error('boom'); } };

function ctx(text: string): RuleContext {
  return { file: 'x.c', text, facts: {} as RuleContext['facts'], profiles: [profile('6.12/x86_64'), profile('6.12/arm64')] };
}

test('findings are merged across profiles and list them', () => {
  const out = runRules([fake, broken], ctx('a\nb\nc\nd\n'));
  assert.equal(out.length, 2);
  assert.deepEqual(out[0]!.targets, ['6.12/x86_64', '6.12/arm64']);
  assert.equal(out[0]!.message, 'everywhere (6.12/x86_64, 6.12/arm64)');
  assert.deepEqual(out[1]!.targets, ['6.12/arm64']);
  assert.equal(out[1]!.severity, 'warning');
});

test('severity settings override and off disables', () => {
  assert.equal(runRules([fake], ctx('a\nb\n'), { severities: { FL999: 'error' } })[0]!.severity, 'error');
  assert.equal(runRules([fake], ctx('a\nb\n'), { severities: { FL999: 'off' } }).length, 0);
});

test('faultline-disable-next-line silences the named rule on the next line only', () => {
  const text = 'a\n/* faultline-disable-next-line FL999: reviewed, iomem is PMD-aligned */\nc\n// faultline-disable-next-line FL001\nx\n';
  // Line 1 is the comment; the finding on line 1 is not silenced; the one on line 3 (after `// … FL001`) is not either.
  const sup = suppressedLines(text);
  assert.deepEqual([...sup.keys()], [2, 4]);
  assert.ok(sup.get(2)!.has('FL999'));
  assert.ok(sup.get(4)!.has('FL001'));
  const rule: Rule = { ...fake, check: () => [{ range: at(2), message: 'on 2' }, { range: at(4), message: 'on 4' }] };
  const out = runRules([rule], ctx(text));
  assert.deepEqual(out.map((f) => f.range.start.line), [4]);
  assert.deepEqual([...suppressedLines('// faultline-disable-next-line\nx').get(1)!], ['*']);
});
