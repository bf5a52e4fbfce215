import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, defaultProfiles, formatVersion, knownVersions, newestVersion, parseProfile, parseVersion } from '../../server/src/model';

test('known versions run from 5.4 to 7.2 without gaps at the 5.x/6.x/7.x seams', () => {
  const all = knownVersions().map(formatVersion);
  assert.equal(all[0], '5.4');
  assert.equal(all.at(-1), '7.2');
  for (const v of ['5.19', '6.0', '6.17', '6.19', '7.0']) assert.ok(all.includes(v), v);
  assert.ok(!all.includes('5.3'));
  assert.ok(!all.includes('6.20'));
  assert.deepEqual(newestVersion(), { major: 7, minor: 2 });
});

test('compareVersions / parseVersion', () => {
  assert.ok(compareVersions({ major: 5, minor: 19 }, { major: 6, minor: 0 }) < 0);
  assert.ok(compareVersions({ major: 6, minor: 10 }, { major: 6, minor: 9 }) > 0);
  assert.equal(compareVersions({ major: 6, minor: 12 }, { major: 6, minor: 12 }), 0);
  assert.deepEqual(parseVersion('v6.12.117'), { major: 6, minor: 12 });
  assert.deepEqual(parseVersion('6.15-rc3'), { major: 6, minor: 15 });
  assert.equal(parseVersion('six'), undefined);
});

const ALIASES: [string, string][] = [
  ['6.12/x86_64', '6.12/x86_64'],
  ['6.12/amd64', '6.12/x86_64'],
  ['6.12/x86-64', '6.12/x86_64'],
  ['5.15/aarch64', '5.15/arm64'],
  ['6.1/riscv', '6.1/riscv64'],
  ['6.1/ppc64le', '6.1/powerpc64'],
  ['6.1/ppc64', '6.1/powerpc64'],
  ['6.1/powerpc', '6.1/powerpc64'],
  ['6.1/i686', '6.1/x86_32'],
  ['6.1/i386', '6.1/x86_32'],
  ['6.1/x86', '6.1/x86_32'],
  ['6.1/armv7', '6.1/arm'],
  ['6.1/loongarch64', '6.1/loongarch'],
  ['6.1/mips64', '6.1/mips'],
  ['6.1/s390x', '6.1/s390'],
  ['v6.12.117/X86_64', '6.12/x86_64'],
];

for (const [text, id] of ALIASES) {
  test(`parseProfile('${text}') → ${id}`, () => {
    const r = parseProfile(text);
    assert.ok(r.ok, r.ok ? '' : r.error);
    if (r.ok) assert.equal(r.profile.id, id);
  });
}

test('unknown version and arch give one sentence naming the known range and arches', () => {
  const r = parseProfile('7.99/vax');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.error, /7\.99/);
    assert.match(r.error, /vax/);
    assert.match(r.error, /5\.4–7\.2/);
    assert.match(r.error, /x86_64, x86_32, arm64, arm, arm-lpae, powerpc64, riscv64, s390, loongarch, mips/);
  }
});

test('profile errors: missing arch, arch younger than version, pre-5.4 versions, bad override', () => {
  for (const bad of ['6.12', '6.12/', '4.19/x86_64', '5.18/loongarch', '6.12/x86_64+CONFIG_THP=maybe']) {
    const r = parseProfile(bad);
    assert.equal(r.ok, false, bad);
  }
  const lo = parseProfile('5.18/loongarch');
  assert.ok(!lo.ok && /5\.19/.test(lo.error));
});

test('Kconfig overrides are parsed and canonicalised', () => {
  const r = parseProfile('6.12/x86_64+TRANSPARENT_HUGEPAGE=n+CONFIG_FS_DAX=y');
  assert.ok(r.ok);
  if (r.ok) {
    assert.deepEqual(r.profile.overrides, { FS_DAX: true, TRANSPARENT_HUGEPAGE: false });
    assert.equal(r.profile.id, '6.12/x86_64+CONFIG_FS_DAX=y+CONFIG_TRANSPARENT_HUGEPAGE=n');
  }
});

test('default profiles are the newest version on x86_64 and arm64', () => {
  assert.deepEqual(defaultProfiles().map((p) => p.id), ['7.2/x86_64', '7.2/arm64']);
});
