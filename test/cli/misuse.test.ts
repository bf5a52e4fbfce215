// CLI argument misuse (issue 9): every bad invocation exits 2 with exactly one line on stderr,
// through the real bundled binary (so nothing else, e.g. a stack trace, reaches the terminal).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO } from '../support/lspClient';

const CLI = path.join(REPO, 'bin', 'faultline.js');
const EXAMPLE = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');

test('bad CLI arguments exit 2 with one line', () => {
  const cases: string[][] = [
    [],
    ['check', EXAMPLE, '--target', '7.99/vax'],
    ['check', EXAMPLE, '--target', ''],
    ['check', EXAMPLE, '--target', '6.12'],
    ['check', EXAMPLE, '--target', '6.12/x86_64+CONFIG_FOO=maybe'],
    ['check', EXAMPLE, '--target'],
    ['check', EXAMPLE, '--format'],
    ['check', EXAMPLE, '--format', 'yaml'],
    ['check', EXAMPLE, '--format', 'json', '--format', 'text'],
    ['check', EXAMPLE, '--fail-on', 'sometimes'],
    ['check', EXAMPLE, '--rule', 'FL001'],
    ['check', EXAMPLE, '--rule', 'FL001=loud'],
    ['check', EXAMPLE, '--rule', 'XX001=off'],
    ['check', EXAMPLE, '--max-file-size', '-5'],
    ['check', EXAMPLE, '--max-file-size', 'big'],
    ['check', EXAMPLE, '--max-file-size', '1.5'],
    ['check', EXAMPLE, '--quiet=yes'],
    ['check', EXAMPLE, '-x'],
    ['check', '--', '/nonexistent/path.c'],
    ['simulate'],
    ['simulate', EXAMPLE, EXAMPLE],
    ['simulate', `${EXAMPLE}:no_such_function`, '--target', '6.12/x86_64'],
    ['simulate', EXAMPLE, '--target', 'vax'],
    ['simulate', EXAMPLE, '--format', 'sarif'],
    ['simulate', '/nonexistent.c:f'],
    ['frobnicate'],
    ['--bogus'],
  ];
  for (const argv of cases) {
    const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', timeout: 60_000 });
    const what = `faultline ${argv.join(' ')}`;
    assert.equal(r.status, 2, `${what}: exit ${r.status}; stderr ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
    assert.match(lines[0]!, /^faultline: /, what);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  }
});
