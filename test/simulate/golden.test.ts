// Golden traces for the simulator (issue 6): the examples and fixtures below, rendered as text
// through the CLI. FAULTLINE_UPDATE_GOLDENS=1 rewrites test/fixtures/simulate/*.golden.txt;
// a normal run compares byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { REPO } from '../support/lspClient';

const GOLDEN = path.join(REPO, 'test', 'fixtures', 'simulate');
const EX = (f: string): string => path.join('examples', f);
const FX = (f: string): string => path.join('test', 'fixtures', 'simulate', f);

interface Case {
  name: string;
  args: string[];
  verdict: string;
}

export const CASES: Case[] = [
  { name: 'ttm-pfn-dev-pmd-5.11-x86_64', args: [`${EX('gpu_bo_huge_fault.c')}:gbo_huge_fault`, '--target', '5.11/x86_64', '--scenario', 'level=pmd'], verdict: 'GUP_DEREFS_MISSING_STRUCT_PAGE' },
  { name: 'ttm-pfn-dev-pmd-6.12-x86_64', args: [`${EX('gpu_bo_huge_fault.c')}:gbo_huge_fault`, '--target', '6.12/x86_64', '--scenario', 'level=pmd'], verdict: 'NOT_BUILT' },
  { name: 'ttm-order-pmd-6.12-x86_64', args: [`${FX('ttm_style_order.c')}:vbo_fault_huge`, '--target', '6.12/x86_64'], verdict: 'SAFE' },
  { name: 'ttm-order-pmd-5.11-x86_64', args: [`${FX('ttm_style_order.c')}:vbo_fault_huge`, '--target', '5.11/x86_64'], verdict: 'GUP_DEREFS_MISSING_STRUCT_PAGE' },
  { name: 'devmap-remedy-5.11-x86_64', args: [`${EX('devmem_pagemap_fault.c')}:devmem_huge_fault`, '--target', '5.11/x86_64'], verdict: 'SAFE' },
  { name: 'devmap-remedy-6.1-s390', args: [`${EX('devmem_pagemap_fault.c')}:devmem_huge_fault`, '--target', '6.1/s390', '--scenario', 'level=pmd'], verdict: 'BUG_ON' },
  { name: 'vfio-order-6.12-x86_64', args: [`${EX('pci_bar_order_fault.c')}:bar_huge_fault`, '--target', '6.12/x86_64'], verdict: 'SAFE' },
  { name: 'vfio-order-5.11-x86_64', args: [`${EX('pci_bar_order_fault.c')}:bar_huge_fault`, '--target', '5.11/x86_64'], verdict: 'SAFE' },
  { name: 'sigbus-misaligned-6.12-x86_64', args: [`${FX('sigbus_misaligned.c')}:ap_huge_fault`, '--target', '6.12/x86_64', '--scenario', 'address=misaligned'], verdict: 'SIGBUS' },
  { name: 'mixedmap-no-fallback-6.12-x86_64', args: [`${EX('fallback_mistakes.c')}:fbx_huge_fault`, '--target', '6.12/x86_64', '--scenario', 'level=pmd'], verdict: 'GUP_DEREFS_MISSING_STRUCT_PAGE' },
  { name: 'mixedmap-sigbus-pte-6.12-x86_64', args: [`${EX('fallback_mistakes.c')}:fbx_huge_fault`, '--target', '6.12/x86_64', '--scenario', 'level=pte'], verdict: 'SIGBUS' },
  { name: 'ttm-matrix', args: [`${EX('gpu_bo_huge_fault.c')}:gbo_huge_fault`, '--target', '5.11/x86_64,6.12/x86_64,6.12/arm64', '--matrix'], verdict: '' },
];

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  process.chdir(REPO);
  try {
    const code = main(['simulate', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

for (const c of CASES) {
  test(`golden: ${c.name}`, () => {
    const r = run(c.args);
    assert.equal(r.code, 0, r.err);
    const file = path.join(GOLDEN, `${c.name}.golden.txt`);
    if (process.env['FAULTLINE_UPDATE_GOLDENS'] === '1') fs.writeFileSync(file, r.out);
    assert.equal(r.out, fs.readFileSync(file, 'utf8'), `${c.name}: trace differs from ${file} (FAULTLINE_UPDATE_GOLDENS=1 to accept)`);
    if (c.verdict) assert.match(r.out.trimEnd().split('\n').pop()!, new RegExp(`^Verdict: ${c.verdict} — `));
  });
}
