import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt } from '../../server/src/features/hover';
import { identifierAt, inLineComment, topicHoverAt } from '../../server/src/features/hoverTopics';
import type { DocumentAnalysis } from '../../server/src/analysis/documentAnalysis';
import { analyze, fixture, rangeOfText } from './helpers';

function hover(a: DocumentAnalysis, text: string, needle: string, nth = 0): string | undefined {
  const r = rangeOfText(text, needle, nth);
  return topicHoverAt(a, text, { line: r.start.line, character: r.start.character + 1 })?.markdown;
}

const lines = (md: string) => md.split('\n');
const ALL = ['5.15/x86_64', '6.12/x86_64', '6.12/arm64', '6.17/x86_64'];

test('identifier scanner: word under or just left of the cursor, comments skipped', () => {
  assert.equal(identifierAt('\tret = vmf_insert_pfn_pmd(vmf', 3, 10)?.word, 'vmf_insert_pfn_pmd');
  assert.deepEqual(identifierAt('\tret = vmf_insert_pfn_pmd(vmf', 3, 25)?.range, { start: { line: 3, character: 7 }, end: { line: 3, character: 25 } });
  assert.equal(identifierAt('a + 12', 0, 5), undefined);
  assert.equal(inLineComment('\tx = 1; // VM_PFNMAP', 12), true);
  assert.equal(inLineComment(' * VM_PFNMAP is', 4), true);
  assert.equal(inLineComment('\tfoo(/* a */ VM_PFNMAP)', 14), false);
});

test('insertion call: first line, signature per target, entry and GUP per target group, citations', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text, ALL);
  const md = hover(a, text, 'vmf_insert_pfn_pmd')!;
  assert.equal(lines(md)[0], '**vmf_insert_pfn_pmd** — huge PMD leaf from a pfn');
  assert.ok(md.includes('- 5.15/x86_64, 6.12/x86_64, 6.12/arm64: `vm_fault_t vmf_insert_pfn_pmd(struct vm_fault *vmf, pfn_t pfn, bool write)`'), md);
  assert.ok(md.includes('unsigned long pfn, bool write)'));
  assert.ok(md.includes('pfn: pfn_t from `__pfn_to_pfn_t`, flags PFN_DEV'));
  assert.ok(md.includes('VMA flags from `demo_mmap`: VM_IO, VM_PFNMAP'));
  assert.ok(md.includes('**5.15/x86_64** — installs a PMD entry: devmap no, special no'), md);
  assert.ok(md.includes('GUP-fast walks it as a THP'));
  assert.ok(md.includes('**6.12/x86_64, 6.12/arm64** — installs a PMD entry: devmap no, special yes'), md);
  assert.ok(md.includes('GUP-fast bails on the special bit and falls back; slow GUP returns -EFAULT'));
  assert.ok(/`mm\/gup\.c:gup_fast_pmd_leaf @ v6\.12`/.test(md));
  // 6.17: pfn_t is gone, so this code does not build — shown in its own group
  assert.ok(/\*\*6\.17\/x86_64\*\*[^\n]*\n(- [^\n]*\n)*- [^\n]*does not build/.test(md), md);
  assert.ok(lines(md).length <= 40);
});

test('insertion call: a removed _prot API says so per target; uncertain steps are marked', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64', '6.12/x86_64']);
  const md = hover(a, text, 'vmf_insert_pfn_pmd_prot')!;
  assert.ok(md.includes('- 6.12/x86_64: not in this version (removed in v6.4; use vmf_insert_pfn_pmd'), md);
  assert.ok(md.includes('**6.12/x86_64** — not built'));
  assert.ok(md.includes('VMA flags: unknown'));
  const h = hover(a, text, '.huge_fault', 0)!;
  assert.ok(/\*\(uncertain\)\*/.test(h), h);
});

test('.huge_fault member and handler name: signature per target, handler mismatch, reachability per level', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64', '6.12/x86_64']);
  const md = hover(a, text, '.huge_fault')!;
  assert.equal(lines(md)[0], '**.huge_fault → demo_huge_fault** — the core calls it for PUD/PMD-sized faults');
  assert.ok(md.includes('- 5.15/x86_64: `vm_fault_t (*huge_fault)(struct vm_fault *vmf, enum page_entry_size pe_size)` — the handler matches'));
  assert.ok(md.includes('- 6.12/x86_64: `vm_fault_t (*huge_fault)(struct vm_fault *vmf, unsigned int order)` — **the handler declares `enum page_entry_size`**'));
  assert.ok(/\*\*5\.15\/x86_64\*\* — reached at PUD: .* · PMD: /.test(md));
  const byName = hover(a, text, 'demo_huge_fault(', 0)!;
  assert.equal(lines(byName)[0], lines(md)[0]);
  const arm = analyze(fixture('order_switch.c'), ['6.12/arm64']);
  const m2 = hover(arm, fixture('order_switch.c'), '.huge_fault')!;
  assert.ok(m2.includes('reached at PUD: no'), m2);
  assert.ok(m2.includes('VMA flags from `demo_mmap`: VM_IO, VM_PFNMAP'));
});

test('.fault member: how the core reaches it after a fallback', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const md = hover(a, text, '.fault')!;
  assert.equal(lines(md)[0], '**.fault → demo_fault** — PTE-level fault handler');
  assert.ok(md.includes('**6.12/x86_64, 6.12/arm64** — after a PMD-level fallback: nothing yet (retried at PTE level)'), md);
  assert.ok(md.includes('`mm/memory.c:__handle_mm_fault @ v6.12`'));
});

test('VM_FAULT_* codes: the level from the enclosing case or if, or "not known" with every level', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const sigbus = hover(a, text, 'VM_FAULT_SIGBUS')!;
  assert.equal(lines(sigbus)[0], '**VM_FAULT_SIGBUS** — Bad access: returned to the arch handler, the task gets SIGBUS.');
  assert.ok(sigbus.includes('Level not known here'));
  assert.ok(sigbus.includes('PUD: SIGBUS · PMD: SIGBUS'));
  const vfio = fixture('pe_size_prot.c');
  const b = analyze(vfio, ['5.15/x86_64']);
  // `if (pe_size != PE_SIZE_PMD) return VM_FAULT_FALLBACK;` is not the PMD level; nothing says which it is
  const fb = hover(b, vfio, 'VM_FAULT_FALLBACK', 1)!;
  assert.ok(fb.includes('Level not known here (`demo_huge_fault2` serves .huge_fault'), fb);
  const inCase = fixture('order_switch.c').replace('\t\tret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);', '\t\tif (pfn & 511)\n\t\t\treturn VM_FAULT_FALLBACK;\n\t\tret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);');
  const c = analyze(inCase);
  const md = hover(c, inCase, 'VM_FAULT_FALLBACK', 0)!;
  assert.ok(md.includes('Level here: PMD (`demo_huge_fault`, `case PMD_ORDER`).'), md);
  assert.ok(md.includes('— PMD: nothing yet (retried at PTE level)'));
  const nopage = fixture('raw_pfn_617.c').replace('\treturn vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);', '\tif (order == PMD_ORDER)\n\t\treturn VM_FAULT_NOPAGE;\n\treturn vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);');
  const d = analyze(nopage, ['6.17/x86_64']);
  assert.ok(hover(d, nopage, 'VM_FAULT_NOPAGE')!.includes('Level here: PMD'));
});

test('PFN_* and VM_* flags: meaning and existence per target', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text, ALL);
  const pfn = hover(a, text, 'PFN_DEV), false);\n\t\tbreak;\n\tcase PUD')!;
  assert.equal(lines(pfn)[0], '**PFN_DEV** — pfn_t flag');
  assert.ok(pfn.includes('Removed in v6.17.'));
  assert.ok(pfn.includes('**5.15/x86_64, 6.12/x86_64, 6.12/arm64** — exists'));
  assert.ok(pfn.includes('**6.17/x86_64** — **does not exist**'));
  const vm = hover(a, text, 'VM_PFNMAP |')!;
  assert.equal(lines(vm)[0], '**VM_PFNMAP** — VMA flag');
  assert.ok(vm.includes('slow GUP refuses the VMA'));
  // in a comment: nothing
  assert.equal(hover(a, text, 'VM_PFNMAP without'), undefined);
  assert.equal(hover(a, text, 'ret;'), undefined);
});

test('hoverAt: findings first, then the topic, with the topic\'s range', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const r = rangeOfText(text, 'vmf_insert_pfn_pmd');
  const h = hoverAt(a, text, { line: r.start.line, character: r.start.character + 2 })!;
  assert.ok(h.markdown.includes('**vmf_insert_pfn_pmd** — huge PMD leaf'));
  assert.deepEqual(h.range, r);
});
