// Encodes mm-gup-facts.md §6 cell by cell. Letters: S=PTE_SPECIAL D=PTE_DEVMAP T=arch THP P=arch PUD THP
// G=fast GUP M=ARCH_SUPPORTS_PMD_PFNMAP U=ARCH_SUPPORTS_PUD_PFNMAP; y/n/? per cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARCH_CAPS, ARCH_TABLE, capabilities, capTimeline, type Tri } from '../../server/src/model';
import { P } from './helpers';

type Cell = string; // 'S D T P G M U'

const SHEET: Record<string, Record<string, Cell>> = {
  // 5.10: arm64 verified [N5.10]; x86_64 "inf: S,D,T,P,G"; HUGE_PFNMAP does not exist yet.
  '5.10': {
    x86_64: 'y y y y y n n',
    arm64: 'y y y n y n n',
  },
  '6.1': {
    x86_64: 'y y y y y n n',
    x86_32: 'y n y n y n n',
    arm64: 'y y y n y n n',
    powerpc64: 'y y y n y n n',
    riscv64: 'y n y n n n n',
    s390: 'y n y n y n n',
    loongarch: 'y n y n y n n',
    arm: 'n n n n n n n',
    'arm-lpae': 'y n y n y n n',
    mips: 'y n ? n y n n',
  },
  '6.12': {
    x86_64: 'y y y y y y y',
    x86_32: 'y n y n y n n',
    arm64: 'y y y n y y n',
    powerpc64: 'y y y y y n n',
    riscv64: 'y y y n y n n',
    s390: 'y n y n y n n',
    loongarch: 'y y y n y n n',
    arm: 'n n n n n n n',
    'arm-lpae': 'y n y n y n n',
    mips: 'y n ? n y n n',
  },
  // 6.17+ (posting): devmap removed everywhere; x86_64 keeps H; riscv gains H (PMD only);
  // powerpc H only proposed (unknown); s390/loongarch huge pfnmap unknown.
  '6.17': {
    x86_64: 'y n y y y y y',
    arm64: 'y n y n y y n',
    riscv64: 'y n y n y y n',
    powerpc64: 'y n y y y ? ?',
    s390: 'y n y n y ? n',
    loongarch: 'y n y n y ? n',
  },
};

function cell(t: Tri): string {
  return t === 'unknown' ? '?' : t ? 'y' : 'n';
}

for (const [version, arches] of Object.entries(SHEET)) {
  for (const [arch, expected] of Object.entries(arches)) {
    test(`arch table ${arch} @ ${version}: ${expected}`, () => {
      const c = capabilities(P(`${version}/${arch}`));
      const got = [c.pteSpecial, c.pteDevmap, c.archThp, c.thpPud, c.fastGup, c.pmdPfnmap, c.pudPfnmap].map((f) => cell(f.value)).join(' ');
      // thpPud is the usable PUD THP (arch PUD && THP); with the THP-on assumption it equals the arch column.
      assert.equal(got, expected);
    });
  }
}

test('cells read in a tree are verified there; carried cells are inferred; post-6.17 is at most inferred', () => {
  assert.equal(capabilities(P('6.1/s390')).pteSpecial.confidence, 'verified');
  assert.equal(capabilities(P('6.12/arm64')).archThp.confidence, 'verified');
  assert.equal(capabilities(P('5.10/arm64')).pteDevmap.confidence, 'verified');
  assert.equal(capabilities(P('5.10/x86_64')).pteDevmap.confidence, 'inferred');
  assert.equal(capabilities(P('6.5/x86_64')).pteSpecial.confidence, 'inferred');
  assert.equal(capabilities(P('7.0/x86_64')).pteSpecial.confidence, 'inferred');
});

test('unpinned arch boundaries surface as uncertain, not as guesses', () => {
  const riscvGup = capabilities(P('6.5/riscv64')).fastGup;
  assert.equal(riscvGup.value, 'unknown');
  assert.equal(riscvGup.confidence, 'uncertain');
  assert.equal(capabilities(P('6.10/riscv64')).fastGup.value, true);
  assert.equal(capabilities(P('6.8/riscv64')).pteDevmap.value, 'unknown');
  assert.equal(capabilities(P('6.8/loongarch')).pteDevmap.value, 'unknown');
  assert.equal(capabilities(P('6.8/powerpc64')).thpPud.value, 'unknown');
  assert.equal(capabilities(P('6.14/riscv64')).pmdPfnmap.value, 'unknown');
  assert.equal(capabilities(P('6.16/riscv64')).pmdPfnmap.value, true);
  assert.equal(capabilities(P('6.12/riscv64')).pmdPfnmap.value, false);
  assert.equal(capabilities(P('5.10/riscv64')).pteSpecial.value, 'unknown');
});

test('fast GUP symbol name follows the v6.10 rename', () => {
  assert.equal(capabilities(P('6.9/arm64')).fastGup.symbol, 'HAVE_FAST_GUP');
  assert.equal(capabilities(P('6.10/arm64')).fastGup.symbol, 'HAVE_GUP_FAST');
});

test('pXd_special exists only from 6.12 and only where PMD/PUD_PFNMAP is supported', () => {
  const rows: [string, Tri, Tri][] = [
    ['6.11/x86_64', false, false],
    ['6.12/x86_64', true, true],
    ['6.12/arm64', true, false],
    ['6.12/riscv64', false, false],
    ['6.12/powerpc64', false, false],
    ['6.17/riscv64', true, false],
  ];
  for (const [prof, pmd, pud] of rows) {
    const c = capabilities(P(prof));
    assert.equal(c.pmdSpecial.value, pmd, `${prof} pmd`);
    assert.equal(c.pudSpecial.value, pud, `${prof} pud`);
  }
});

test('every arch × capability row parses and starts at the arch\'s first version or 6.12 for HUGE_PFNMAP', () => {
  for (const row of ARCH_TABLE) {
    for (const cap of ARCH_CAPS) {
      const tl = capTimeline(row.id, cap);
      assert.ok(tl.length > 0);
      assert.equal(tl[0]!.from, cap === 'ARCH_SUPPORTS_HUGE_PFNMAP' ? '6.12' : row.since, `${row.id}/${cap}`);
    }
  }
});
