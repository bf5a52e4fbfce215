import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countParseErrors, parseC } from '../../server/src/parsing/parser';
import {
  extractFileFacts, resolveHandlerChains, summarizeForIndex, SymbolIndex, parseCondition,
  type FileFacts, type InsertionSite, type Stmt,
} from '../../server/src/extraction';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'extraction');

function facts(name: string): FileFacts {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const f = extractFileFacts(parseC(text), text, { file: name });
  assert.deepEqual(f.problems, []);
  return f;
}
const site = (f: FileFacts, api: string, nth = 0): InsertionSite => f.insertionSites.filter((s) => s.api === api)[nth]!;
const doms = (s: InsertionSite) => s.dominators.map((d) => [d.text, d.family, d.reachedWhen, d.otherExit?.kind ?? null]);
const T = { kind: 'const', value: true };

test('TTM style: PFN_DEV-only pfn_t through locals, goto fallback resolved, #ifdef PUD', () => {
  const f = facts('ttm_style_pmd.c');
  const pmd = site(f, 'vmf_insert_pfn_pmd_prot');
  assert.equal(pmd.level, 'pmd');
  assert.equal(pmd.enclosingFunction, 'demo_insert_huge');
  assert.deepEqual(pmd.guard, T);
  assert.equal(pmd.pfn.kind, 'pfn_t');
  if (pmd.pfn.kind !== 'pfn_t') return;
  assert.equal(pmd.pfn.constructor, '__pfn_to_pfn_t');
  assert.deepEqual(pmd.pfn.flags, ['PFN_DEV']);
  assert.deepEqual(pmd.pfn.base, { source: 'call', text: 'demo_io_pfn(page_offset)', callee: 'demo_io_pfn' });
  assert.deepEqual(pmd.pfn.via?.map((v) => v.variable), ['pfnt']);
  assert.equal(pmd.writeArg, 'true');
  assert.equal(pmd.result, 'assigned');
  assert.equal(pmd.resultVariable, 'ret');
  assert.equal(pmd.resultTested, true);
  assert.deepEqual(doms(pmd), [
    ['page_offset + fault_page_size > demo_num_pages', 'range-containment', false, 'goto'],
    ['pfn & (fault_page_size - 1)', 'pfn-alignment', false, 'goto'],
    ['fault_page_size == (HPAGE_PMD_SIZE >> PAGE_SHIFT)', 'size-dispatch', true, null],
  ]);
  const exit = pmd.dominators[0]!.otherExit!;
  assert.equal(exit.kind, 'goto');
  if (exit.kind === 'goto') {
    assert.equal(exit.label, 'out_fallback');
    assert.deepEqual(exit.resolved && exit.resolved.kind === 'return' ? exit.resolved.value : null, { kind: 'constant', name: 'VM_FAULT_FALLBACK', text: 'VM_FAULT_FALLBACK' });
  }
  assert.deepEqual(pmd.alignment.map((a) => a.kind), ['check']);
  const pud = site(f, 'vmf_insert_pfn_pud_prot');
  assert.deepEqual(pud.guard, { kind: 'defined', symbol: 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD' });
  // the handler: pe_size switch with a default that returns VM_FAULT_FALLBACK
  const h = f.functions.find((x) => x.name === 'demo_huge_fault')!;
  assert.equal(h.params[1]!.type, 'enum page_entry_size');
  const sw = h.body![0] as Stmt & { kind: 'switch' };
  assert.equal(sw.kind, 'switch');
  assert.equal(sw.discriminant, 'pe_size');
  assert.equal(sw.family, 'size-dispatch');
  assert.deepEqual(sw.cases.map((c) => c.labels), [['PE_SIZE_PMD'], ['PE_SIZE_PUD'], ['default']]);
  assert.deepEqual(sw.cases[2]!.body.at(-1), { kind: 'return', value: { kind: 'constant', name: 'VM_FAULT_FALLBACK', text: 'VM_FAULT_FALLBACK' }, range: sw.cases[2]!.body.at(-1)!.range });
  const chains = resolveHandlerChains(f);
  const hc = chains.filter((c) => c.field === 'huge_fault').map((c) => [c.steps.map((s) => s.function).join('>'), c.site.api]);
  assert.deepEqual(hc, [
    ['demo_huge_fault>demo_insert_huge', 'vmf_insert_pfn_pmd_prot'],
    ['demo_huge_fault>demo_insert_huge', 'vmf_insert_pfn_pud_prot'],
  ]);
});

test('device-dax style: phys_to_pfn_t PFN_DEV|PFN_MAP, range check, mmap via file_operations', () => {
  const f = facts('devdax_style.c');
  const s = site(f, 'vmf_insert_pfn_pmd');
  assert.equal(s.pfn.kind, 'pfn_t');
  if (s.pfn.kind === 'pfn_t') {
    assert.equal(s.pfn.constructor, 'phys_to_pfn_t');
    assert.deepEqual(s.pfn.flags, ['PFN_DEV', 'PFN_MAP']);
  }
  assert.equal(s.result, 'returned');
  assert.equal(s.writeArg, 'vmf->flags & FAULT_FLAG_WRITE');
  assert.deepEqual(doms(s), [
    ['demo_check_vma(vmf->vma)', 'other', false, 'return'],
    ['pmd_addr < vmf->vma->vm_start || (pmd_addr + PMD_SIZE) > vmf->vma->vm_end', 'range-containment', false, 'return'],
  ]);
  assert.equal(f.mmapHandlers.length, 1);
  const h = f.mmapHandlers[0]!;
  assert.equal(h.name, 'demo_mmap');
  assert.deepEqual(h.fileOperations, ['demo_fops']);
  assert.deepEqual(h.installs.map((i) => i.table), ['demo_dax_ops']);
  assert.deepEqual(h.flagEffects.map((e) => [e.op, e.flags, e.via]), [['set', ['VM_HUGEPAGE', 'VM_DONTEXPAND'], 'vm_flags_set']]);
  assert.deepEqual(h.cowRejections.map((c) => [c.kind, c.inFunction]), [['requires-shared', 'demo_check_vma']]);
  assert.deepEqual(f.defines['DEMO_VMFLAGS']!.flags, ['VM_HUGEPAGE', 'VM_DONTEXPAND']);
  assert.equal(f.fileOperationsTables[0]!.members.find((m) => m.field === 'mmap')!.value, 'demo_mmap');
});

test('vfio style: order switch with #ifdef cases, combined alignment/range check, goto out', () => {
  const f = facts('vfio_style_order.c');
  assert.deepEqual(f.insertionSites.map((s) => [s.api, s.level, s.guard]), [
    ['vmf_insert_pfn', 'pte', T],
    ['vmf_insert_pfn_pmd', 'pmd', { kind: 'defined', symbol: 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP' }],
    ['vmf_insert_pfn_pud', 'pud', { kind: 'defined', symbol: 'CONFIG_ARCH_SUPPORTS_PUD_PFNMAP' }],
  ]);
  const pmd = site(f, 'vmf_insert_pfn_pmd');
  assert.equal(pmd.pfn.kind === 'pfn_t' && pmd.pfn.flags?.join(), 'PFN_DEV');
  assert.equal(pmd.writeArg, 'false');
  const d0 = pmd.dominators[0]!;
  assert.deepEqual(d0.families, ['pfn-alignment', 'range-containment', 'size-dispatch']);
  assert.equal(d0.reachedWhen, false);
  assert.equal(d0.otherExit?.kind === 'goto' && d0.otherExit.resolved?.kind === 'return' && d0.otherExit.resolved.value.kind, 'variable');
  assert.deepEqual(pmd.dominators[1]!.reachedWhen, 'PMD_ORDER');
  assert.equal(pmd.dominators[1]!.family, 'size-dispatch');
  const ops = f.vmOpsTables[0]!;
  assert.deepEqual(ops.members.map((m) => [m.field, m.value, m.guard]), [
    ['fault', 'demo_fault', T],
    ['huge_fault', 'demo_huge_fault', { kind: 'defined', symbol: 'CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP' }],
  ]);
  assert.equal(f.functions.find((x) => x.name === 'demo_huge_fault')!.params[1]!.type, 'unsigned int');
  const h = f.mmapHandlers[0]!;
  assert.deepEqual(h.flagEffects[0]!.flags, ['VM_ALLOW_ANY_UNCACHED', 'VM_IO', 'VM_PFNMAP', 'VM_DONTEXPAND', 'VM_DONTDUMP']);
  assert.deepEqual(h.cowRejections.map((c) => c.kind), ['requires-shared']);
  // .fault → demo_fault → demo_huge_fault → 3 sites
  assert.equal(resolveHandlerChains(f).filter((c) => c.field === 'fault').length, 3);
});

test('fs/dax style and folio insertion: out-parameter pfn is unknown, folio provenance, IS_ALIGNED', () => {
  const f = facts('fsdax_folio.c');
  const pmd = site(f, 'vmf_insert_pfn_pmd');
  assert.equal(pmd.pfn.kind, 'unknown');
  if (pmd.pfn.kind === 'unknown') assert.match(pmd.pfn.reason, /&pfn by demo_direct_access/);
  assert.deepEqual(doms(pmd), [['err', 'other', false, 'return'], ['!pmd', 'other', false, 'return']]);
  const folio = site(f, 'vmf_insert_folio_pmd');
  assert.deepEqual(folio.pfn.kind === 'folio' && folio.pfn.expr, 'page_folio(demo_page(vmf))');
  assert.deepEqual(folio.alignment.map((a) => [a.kind, a.text]), [['check', '!IS_ALIGNED(vmf->address, PMD_SIZE)']]);
});

test('VMA flags: direct, #define chains, vm_flags_set/mod/clear, remap_pfn_range, COW rejections', () => {
  const f = facts('vmflags_variants.c');
  const a = f.mmapHandlers.find((h) => h.name === 'demo_mmap_direct')!;
  assert.deepEqual(a.flagEffects.map((e) => [e.op, e.flags, e.unresolved, e.via]), [
    ['set', ['VM_PFNMAP', 'VM_IO', 'VM_DONTEXPAND', 'VM_DONTDUMP'], [], '|='],
    ['clear', ['VM_MAYWRITE'], [], '&='],
  ]);
  assert.deepEqual(a.cowRejections.map((c) => c.kind), ['is_cow_mapping', 'clears-maywrite']);
  assert.deepEqual(a.fileOperations, ['demo_fops_a']);
  const b = f.mmapHandlers.find((h) => h.name === 'demo_mmap_api')!;
  assert.deepEqual(b.flagEffects.map((e) => [e.op, e.flags, e.unresolved, e.via]), [
    ['set', ['VM_MIXEDMAP', 'VM_DONTDUMP'], [], 'vm_flags_set'],
    ['mod-set', ['VM_IO'], [], 'vm_flags_mod'],
    ['mod-clear', ['VM_MAYWRITE'], [], 'vm_flags_mod'],
    ['clear', ['VM_HUGEPAGE'], ['demo_runtime_flags()'], 'vm_flags_clear'],
    ['set', ['VM_IO', 'VM_PFNMAP', 'VM_DONTEXPAND', 'VM_DONTDUMP'], [], 'remap_pfn_range'],
  ]);
  assert.deepEqual(f.defines['DEMO_FLAGS']!.flags, ['VM_IO', 'VM_DONTEXPAND', 'VM_DONTDUMP']);
  const r = site(f, 'remap_pfn_range');
  assert.equal(r.level, 'range');
  assert.equal(r.pfn.kind, 'unknown');
});

test('ops arrays, ops under #if/#else, ops->huge_fault assignment, IS_ENABLED in code, masking, #if 0', () => {
  const f = facts('ops_variants.c');
  const arr = f.vmOpsTables.find((t) => t.name === 'demo_ops_array')!;
  assert.equal(arr.isArray, true);
  assert.deepEqual(arr.members.map((m) => [m.element, m.field, m.value]), [['[0]', 'fault', 'demo_fault_a'], ['[1]', 'fault', 'demo_fault_b'], ['[1]', 'huge_fault', 'demo_huge_b']]);
  const conds = f.vmOpsTables.filter((t) => t.name === 'demo_ops_cond');
  const g = { kind: 'and', args: [{ kind: 'defined', symbol: 'CONFIG_DEMO_A' }, { kind: 'not', arg: { kind: 'isEnabled', macro: 'IS_ENABLED', symbol: 'CONFIG_DEMO_B' } }] };
  assert.deepEqual(conds.map((t) => t.guard), [g, { kind: 'not', arg: g }]);
  assert.deepEqual(f.vmOpsAssignments.map((a) => [a.field, a.target, a.value, a.enclosingFunction]), [
    ['huge_fault', 'demo_dyn_ops', 'demo_huge_b', 'demo_setup'],
    ['vm_ops', 'vma', 'demo_dyn_ops', 'demo_setup'],
  ]);
  const pud = site(f, 'vmf_insert_pfn_pud');
  assert.deepEqual(pud.guard, { kind: 'isEnabled', macro: 'IS_ENABLED', symbol: 'CONFIG_DEMO_PUD' });
  assert.equal(pud.pfn.kind === 'pfn_t' && pud.pfn.base.source, 'vmf->pgoff');
  const pmd = site(f, 'vmf_insert_pfn_pmd', 0);
  assert.deepEqual(pmd.guard, { kind: 'isEnabled', macro: 'IS_ENABLED', symbol: 'CONFIG_DEMO_PMD' });
  assert.equal(pmd.pfn.kind === 'pfn_t' && pmd.pfn.constructor, 'pfn_to_pfn_t');
  assert.deepEqual(pmd.alignment.map((a) => [a.kind, a.text]), [['mask', 'pfn &= ~((1UL << order) - 1)']]);
  const dead = site(f, 'vmf_insert_pfn_pmd', 1);
  assert.equal(dead.enclosingFunction, 'demo_dead');
  assert.deepEqual(dead.guard, { kind: 'const', value: false });
  // handler chains through the assignment and the array
  const chains = resolveHandlerChains(f).map((c) => `${c.table}.${c.field}:${c.site.api}`);
  assert.ok(chains.includes('demo_ops_array.huge_fault:vmf_insert_pfn_pud'));
  assert.ok(chains.includes('demo_dyn_ops.huge_fault:vmf_insert_pfn_pmd'));
});

test('wrappers: same-file insert_pfn-style helper, wrapper call site with caller provenance', () => {
  const f = facts('wrapper.c');
  assert.deepEqual(f.wrappers.map((w) => [w.name, w.calls, w.level, w.pfnParam]), [['demo_insert_pfn_pmd', 'vmf_insert_pfn_pmd', 'pmd', 1]]);
  const w = site(f, 'demo_insert_pfn_pmd');
  assert.equal(w.isWrapperCall, true);
  assert.equal(w.level, 'pmd');
  assert.deepEqual(w.pfn.kind === 'raw' && w.pfn.base.source, 'PHYS_PFN');
  assert.equal(w.resultTested, true);
  assert.equal(w.resultReturned, true);
  const body = f.functions.find((x) => x.name === 'demo_wrap_fault')!.body!;
  assert.deepEqual(body.filter((s) => s.kind === 'insert').map((s) => s.kind === 'insert' && [s.site, s.assignedTo]), [[1, 'ret']]);
});

test('cross-file: summaries, index lookup and handler chains into another file', () => {
  const lib = facts('wrapper.c');
  const text = `static vm_fault_t other_fault(struct vm_fault *vmf, unsigned int order)\n{\n\treturn demo_lib_entry(vmf, order);\n}\nstatic const struct vm_operations_struct other_ops = { .huge_fault = other_fault };\n`;
  const libText = `vm_fault_t demo_lib_entry(struct vm_fault *vmf, unsigned int order)\n{\n\treturn vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(vmf->pgoff, PFN_DEV), false);\n}\n`;
  const idx = new SymbolIndex(10);
  idx.update('wrapper.c', summarizeForIndex(lib));
  const libFacts = extractFileFacts(parseC(libText), libText, { file: 'lib.c' });
  const summary = summarizeForIndex(libFacts);
  assert.equal(JSON.parse(JSON.stringify(summary)).functions[0].name, 'demo_lib_entry');
  idx.update('lib.c', summary);
  const f = extractFileFacts(parseC(text), text, { file: 'other.c' });
  const chains = resolveHandlerChains(f, (n, from) => idx.lookup(n, from));
  assert.deepEqual(chains.map((c) => [c.steps.map((s) => `${s.file}:${s.function}`), c.site.api, c.site.file]), [
    [['other.c:other_fault', 'lib.c:demo_lib_entry'], 'vmf_insert_pfn_pmd', 'lib.c'],
  ]);
  assert.equal(idx.lookup('demo_insert_pfn_pmd'), undefined); // static: not visible from other files
  // wrappers known from the index are recognised in another file
  const t2 = `vm_fault_t pub_wrap(struct vm_fault *vmf, unsigned long pfn)\n{\n\treturn vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);\n}\n`;
  idx.update('pub.c', summarizeForIndex(extractFileFacts(parseC(t2), t2)));
  const t3 = `static vm_fault_t h(struct vm_fault *vmf) { return pub_wrap(vmf, 5); }\n`;
  const f3 = extractFileFacts(parseC(t3), t3, { knownWrappers: idx.wrappers() });
  assert.deepEqual(f3.insertionSites.map((s) => [s.api, s.level, s.isWrapperCall, s.pfn.kind === 'raw' && s.pfn.base.source]), [['pub_wrap', 'pud', true, 'integer']]);
});

test('macro soup: never throws, recovers the function name from an ERROR node', () => {
  const f = facts('macro_soup.c');
  assert.ok(countParseErrors(parseC(readFileSync(join(FIXTURES, 'macro_soup.c'), 'utf8'))) > 0, 'the fixture must not parse cleanly');
  const s = site(f, 'vmf_insert_pfn');
  assert.equal(s.enclosingFunction, 'demo_soup_fault');
  assert.equal(s.insideError, true);
  const ops = f.vmOpsTables[0]!;
  assert.deepEqual(ops.members.map((m) => [m.field, m.value, m.guard.kind]), [['fault', 'demo_soup_fault', 'const'], ['huge_fault', 'demo_soup_huge', 'defined'], ['access', 'generic_access_phys', 'const']]);
  for (const junk of ['', '{{{{', '#if\n#else\n#else\n#endif\n#endif', 'static struct vm_operations_struct x = { .huge_fault = ', '\u0000\uffff binary', 'int f(void) { return vmf_insert_pfn_pmd(; }']) {
    const r = extractFileFacts(parseC(junk), junk);
    assert.deepEqual(r.problems, []);
  }
  // a broken tree object is reported, not thrown
  const r = extractFileFacts({} as never, 'x');
  assert.equal(r.problems.length, 1);
});

test('guard expressions from #if text', () => {
  assert.deepEqual(parseCondition('defined(CONFIG_A) || !defined CONFIG_B'), { kind: 'or', args: [{ kind: 'defined', symbol: 'CONFIG_A' }, { kind: 'not', arg: { kind: 'defined', symbol: 'CONFIG_B' } }] });
  assert.deepEqual(parseCondition('0'), { kind: 'const', value: false });
  assert.deepEqual(parseCondition('IS_BUILTIN(CONFIG_X) && CONFIG_PGTABLE_LEVELS > 4'), { kind: 'and', args: [{ kind: 'isEnabled', macro: 'IS_BUILTIN', symbol: 'CONFIG_X' }, { kind: 'unknown', text: 'CONFIG_PGTABLE_LEVELS > 4' }] });
});
