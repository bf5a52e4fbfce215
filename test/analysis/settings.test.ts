import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/analysis/settings';
import { archFromConfig, clearKernelTreeCache, findKernelTree, versionFromMakefile } from '../../server/src/analysis/kernelTree';
import { checkBuffer, checkText } from '../../server/src/analysis/inputCheck';

test('settings: valid values pass through', () => {
  const { settings, problems } = parseSettings({ targets: ['6.12/x86_64', ' 5.15/arm64 '], rules: { FL005: 'off', FL001: 'default' }, maxFileSize: 1000, debounceMs: 50 });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings.targets, ['6.12/x86_64', '5.15/arm64']);
  assert.deepEqual(settings.rules, { FL005: 'off' });
  assert.equal(settings.maxFileSize, 1000);
  assert.equal(settings.debounceMs, 50);
});

test('settings: each bad value gives one problem and the default', () => {
  const cases: [unknown, string, keyof typeof DEFAULT_SETTINGS][] = [
    [{ targets: 42 }, 'faultline.targets', 'targets'],
    [{ targets: [1, 2] }, 'faultline.targets', 'targets'],
    [{ rules: { FL001: 'loud' } }, 'faultline.rules.FL001', 'rules'],
    [{ rules: { eslint: 'off' } }, 'not a rule id', 'rules'],
    [{ rules: 'off' }, 'faultline.rules', 'rules'],
    [{ maxFileSize: -1 }, 'faultline.maxFileSize', 'maxFileSize'],
    [{ debounceMs: 'soon' }, 'faultline.debounceMs', 'debounceMs'],
    [{ workspaceIndex: 'yes' }, 'faultline.workspaceIndex', 'workspaceIndex'],
  ];
  for (const [raw, mention, key] of cases) {
    const { settings, problems } = parseSettings(raw);
    assert.equal(problems.length, 1, JSON.stringify(raw));
    assert.ok(problems[0]!.includes(mention), `${problems[0]} mentions ${mention}`);
    assert.deepEqual(settings[key], DEFAULT_SETTINGS[key]);
  }
  assert.equal(parseSettings('nonsense').problems.length, 1);
  assert.deepEqual(parseSettings(undefined).problems, []);
});

test('kernel tree: version from Makefile, arch from .config, found from a nested file', () => {
  assert.equal(versionFromMakefile('# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\n'), '6.12');
  assert.equal(versionFromMakefile('all:\n\techo\n'), undefined);
  assert.equal(archFromConfig('CONFIG_X86=y\nCONFIG_X86_64=y\n'), 'x86_64');
  assert.equal(archFromConfig('CONFIG_ARM64=y\n'), 'arm64');
  assert.equal(archFromConfig('CONFIG_ARM=y\nCONFIG_ARM_LPAE=y\n'), 'arm-lpae');
  assert.equal(archFromConfig('# CONFIG_X86_64 is not set\n'), undefined);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-tree-'));
  try {
    fs.writeFileSync(path.join(root, 'Makefile'), 'VERSION = 5\nPATCHLEVEL = 15\n');
    fs.writeFileSync(path.join(root, 'Kconfig'), 'mainmenu "Linux"\n');
    fs.writeFileSync(path.join(root, '.config'), 'CONFIG_RISCV=y\n');
    fs.mkdirSync(path.join(root, 'drivers', 'gpu'), { recursive: true });
    clearKernelTreeCache();
    const info = findKernelTree(path.join(root, 'drivers', 'gpu', 'x.c'));
    assert.deepEqual(info, { root, version: '5.15', arch: 'riscv64' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    clearKernelTreeCache();
  }
});

test('input check: NUL bytes and size cap', () => {
  assert.deepEqual(checkBuffer(Buffer.from('int x;\n'), 100), { ok: true });
  assert.equal(checkBuffer(Buffer.from([1, 0, 2]), 100).ok, false);
  assert.equal(checkBuffer(Buffer.alloc(200, 65), 100).ok, false);
  assert.equal(checkText('a\u0000b', 100).ok, false);
  assert.equal(checkText('int x;', 100).ok, true);
});
