import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeActionsFor } from '../../server/src/features/codeActions';
import { quickFixesFor } from '../../server/src/features/quickFixes';
import { rawPfnExpr } from '../../server/src/features/fixes/pfnAlignment';
import type { CodeActionFact } from '../../server/src/features/types';
import { suppressedLines } from '../../server/src/rules/suppression';
import type { DocumentAnalysis } from '../../server/src/analysis/documentAnalysis';
import type { Finding } from '../../server/src/rules/types';
import { analyze, applyEdits, assertFixedEndToEnd, atSite, findingFor, fixture, inFunction, lineOf, rangeOfText } from './helpers';

const site = (a: DocumentAnalysis, api: string, nth = 0) => a.facts.insertionSites.filter((s) => s.api === api)[nth]!;

function onlyFix(f: Finding, a: DocumentAnalysis, text: string): CodeActionFact {
  const fixes = quickFixesFor(f, a, text);
  assert.equal(fixes.length, 1, `expected one fix for ${f.rule}, got ${JSON.stringify(fixes.map((x) => x.title))}`);
  const fix = fixes[0]!;
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.rule, f.rule);
  assert.deepEqual(fix.findingRange, f.range);
  assert.ok(fix.edits.length > 0);
  return fix;
}

// ---------------------------------------------------------------- FL002 / FL011 / FL001: #ifdef wrap

test('FL002 on a switch case: wraps `case PMD_ORDER:` in #ifdef ARCH_SUPPORTS_PMD_PFNMAP with a fallback case', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const fix = onlyFix(findingFor(a, 'FL002', s.range), a, text);
  assert.equal(fix.isPreferred, true);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP\n\tcase PMD_ORDER:\n\t\tret = vmf_insert_pfn_pmd('), out);
  assert.ok(out.includes('\t\tbreak;\n#else\n\tcase PMD_ORDER:\n\t\tret = VM_FAULT_FALLBACK;\n\t\tbreak;\n#endif\n\tcase PUD_ORDER:'), out);
  const after = assertFixedEndToEnd(a, out, 'FL002', atSite('vmf_insert_pfn_pmd'));
  assert.deepEqual(site(after, 'vmf_insert_pfn_pmd').guard, { kind: 'defined', symbol: 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP' });
  assert.deepEqual(site(after, 'vmf_insert_pfn_pud').guard, { kind: 'const', value: true });
  assert.equal(after.facts.insertionSites.length, a.facts.insertionSites.length);
});

test('FL002 on the PUD case uses ARCH_SUPPORTS_PUD_PFNMAP; FL011 uses HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pud');
  for (const [rule, sym] of [['FL002', 'CONFIG_ARCH_SUPPORTS_PUD_PFNMAP'], ['FL011', 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD']] as const) {
    const fix = onlyFix(findingFor(a, rule, s.range), a, text);
    const out = applyEdits(text, fix.edits);
    assert.ok(out.includes(`#ifdef ${sym}\n\tcase PUD_ORDER:`), out);
    const after = assertFixedEndToEnd(a, out, rule, atSite('vmf_insert_pfn_pud'));
    assert.deepEqual(site(after, 'vmf_insert_pfn_pud').guard, { kind: 'defined', symbol: sym });
  }
});

test('FL002 on an assigned insertion that is the body of an unbraced if: braced, #ifdef around the statement, #else ret = FALLBACK', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64']);
  const s = site(a, 'vmf_insert_pfn_pmd_prot');
  const fix = onlyFix(findingFor(a, 'FL002', s.range), a, text);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('\tif (pe_size == PE_SIZE_PMD) {\n#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP\n\t\tret = vmf_insert_pfn_pmd_prot(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),\n\t\t\t\t\t      vmf->vma->vm_page_prot, true);\n#else\n\t\tret = VM_FAULT_FALLBACK;\n#endif\n\t}\n\telse if'), out);
  const after = assertFixedEndToEnd(a, out, 'FL002', atSite('vmf_insert_pfn_pmd_prot'), ['5.15/x86_64']);
  assert.deepEqual(site(after, 'vmf_insert_pfn_pmd_prot').guard, { kind: 'defined', symbol: 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP' });
  // the if/else-if chain still reads the same
  const fn = after.facts.functions.find((f) => f.name === 'demo_huge_fault')!;
  assert.equal(fn.body!.filter((x) => x.kind === 'if').length, 1);
});

test('FL002 on a returned insertion: #else return VM_FAULT_FALLBACK', () => {
  const text = fixture('raw_pfn_617.c');
  const a = analyze(text, ['6.17/x86_64']);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL002', s.range), a, text).edits);
  assert.ok(out.includes('#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP\n\treturn vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);\n#else\n\treturn VM_FAULT_FALLBACK;\n#endif\n}'), out);
  assertFixedEndToEnd(a, out, 'FL002', atSite('vmf_insert_pfn_pmd'), ['6.17/x86_64']);
});

test('FL001: the arch guard is offered for a PFN_DEV-only pfn, not for a devmap pfn', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text, ['5.15/x86_64']);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const fix = onlyFix(findingFor(a, 'FL001', s.range), a, text);
  assert.ok(fix.title.includes('CONFIG_ARCH_SUPPORTS_PMD_PFNMAP'));
  const out = applyEdits(text, fix.edits);
  assertFixedEndToEnd(a, out, 'FL001', atSite('vmf_insert_pfn_pmd'), ['5.15/x86_64']);
  const devmapText = text.replace('__pfn_to_pfn_t(pfn, PFN_DEV), false);\n\t\tbreak;\n\tcase PUD', '__pfn_to_pfn_t(pfn, PFN_DEV | PFN_MAP), false);\n\t\tbreak;\n\tcase PUD');
  const b = analyze(devmapText, ['5.15/x86_64']);
  assert.deepEqual(quickFixesFor(findingFor(b, 'FL001', site(b, 'vmf_insert_pfn_pmd').range), b, devmapText), []);
});

test('the #ifdef wrap is not offered where the statement shape is not safe to wrap (result compared inline)', () => {
  const text = fixture('raw_pfn_617.c').replace('\treturn vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);', '\tif (vmf_insert_pfn_pmd(vmf, pfn, true) != VM_FAULT_NOPAGE)\n\t\treturn VM_FAULT_FALLBACK;\n\treturn VM_FAULT_NOPAGE;');
  const a = analyze(text, ['6.17/x86_64']);
  assert.deepEqual(quickFixesFor(findingFor(a, 'FL002', site(a, 'vmf_insert_pfn_pmd').range), a, text), []);
});

// ---------------------------------------------------------------- FL007

test('FL007: return VM_FAULT_SIGBUS on the size path becomes VM_FAULT_FALLBACK', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const r = rangeOfText(text, 'return VM_FAULT_SIGBUS;');
  const fix = onlyFix(findingFor(a, 'FL007', r), a, text);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('\tif (order > PUD_ORDER)\n\t\treturn VM_FAULT_FALLBACK;\n'));
  assert.ok(!out.includes('VM_FAULT_SIGBUS'));
  const after = assertFixedEndToEnd(a, out, 'FL007', inFunction('demo_huge_fault'));
  const first = after.facts.functions.find((f) => f.name === 'demo_huge_fault')!.body!.find((x) => x.kind === 'if')!;
  assert.ok(first.kind === 'if' && first.then[0]!.kind === 'return' && first.then[0]!.value.kind === 'constant' && first.then[0]!.value.name === 'VM_FAULT_FALLBACK');
});

test('FL007 without VM_FAULT_SIGBUS in the range (dropped result): no text fix', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  assert.deepEqual(quickFixesFor(findingFor(a, 'FL007', site(a, 'vmf_insert_pfn_pmd').range), a, text), []);
});

// ---------------------------------------------------------------- FL004

test('FL004: adds is_cow_mapping → -EINVAL after the mmap handler\'s declarations, with its VMA name', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const fix = onlyFix(findingFor(a, 'FL004', s.range), a, text);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('\tunsigned long len = vma->vm_end - vma->vm_start;\n\n\tif (is_cow_mapping(vma->vm_flags))\n\t\treturn -EINVAL;\n\n\tif (len > dev->size)'), out);
  const after = assertFixedEndToEnd(a, out, 'FL004', atSite('vmf_insert_pfn_pmd'));
  assert.deepEqual(after.facts.mmapHandlers[0]!.cowRejections.map((c) => c.kind), ['is_cow_mapping']);
});

test('FL004: works from data.mmapHandler alone and names a differently called VMA parameter', () => {
  const text = fixture('order_switch.c').replace(/struct vm_area_struct \*vma\)\n\{\n\tstruct demo_dev \*dev = file->private_data;\n\tunsigned long len = vma->vm_end - vma->vm_start;/, 'struct vm_area_struct *area)\n{').replace(/len > dev->size/, 'area->vm_end - area->vm_start > 4096').replace(/vma->vm_private_data = dev;\n\tvm_flags_set\(vma,/, 'vm_flags_set(area,').replace('\tvma->vm_ops = &demo_vm_ops;\n\treturn 0;', '\tarea->vm_ops = &demo_vm_ops;\n\treturn 0;');
  const a = analyze(text);
  assert.equal(a.facts.mmapHandlers.length, 1);
  const f = findingFor(a, 'FL004', { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, { mmapHandler: 'demo_mmap' });
  const out = applyEdits(text, onlyFix(f, a, text).edits);
  assert.ok(out.includes('struct vm_area_struct *area)\n{\n\n\tif (is_cow_mapping(area->vm_flags))\n\t\treturn -EINVAL;\n\n\tif (area->vm_end'), out);
  assert.equal(analyze(out).facts.mmapHandlers[0]!.cowRejections.length, 1);
});

test('FL004: no COW fix when the handler already rejects COW mappings', () => {
  const text = fixture('order_switch.c').replace('\tif (len > dev->size)', '\tif (!(vma->vm_flags & VM_SHARED))\n\t\treturn -EINVAL;\n\tif (len > dev->size)');
  const a = analyze(text);
  assert.equal(a.facts.mmapHandlers[0]!.cowRejections.length, 1);
  assert.deepEqual(quickFixesFor(findingFor(a, 'FL004', site(a, 'vmf_insert_pfn_pmd').range), a, text), []);
});

// ---------------------------------------------------------------- FL005

test('FL005: range check before the insertion in its case, with the handler\'s own vma', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL005', s.range), a, text).edits);
  assert.ok(out.includes('\tcase PMD_ORDER:\n\t\tif ((vmf->address & PMD_MASK) < vma->vm_start ||\n\t\t    (vmf->address & PMD_MASK) + PMD_SIZE > vma->vm_end)\n\t\t\treturn VM_FAULT_FALLBACK;\n\t\tret = vmf_insert_pfn_pmd('), out);
  const after = assertFixedEndToEnd(a, out, 'FL005', atSite('vmf_insert_pfn_pmd'));
  const d = site(after, 'vmf_insert_pfn_pmd').dominators.find((x) => x.families.includes('range-containment'));
  assert.ok(d, JSON.stringify(site(after, 'vmf_insert_pfn_pmd').dominators));
  assert.equal(d.otherExit?.kind, 'return');
  // the PUD site is untouched
  assert.equal(site(after, 'vmf_insert_pfn_pud').dominators.some((x) => x.families.includes('range-containment')), false);
});

test('FL005 in an unbraced if body: braces the body so the check stays on the insertion path', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64']);
  const s = site(a, 'vmf_insert_pfn_pmd_prot');
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL005', s.range), a, text).edits);
  assert.ok(out.includes('\tif (pe_size == PE_SIZE_PMD) {\n\t\tif ((vmf->address & PMD_MASK) < vmf->vma->vm_start ||'), out);
  assert.ok(out.includes('vmf->vma->vm_page_prot, true);\n\t}\n\telse if'), out);
  const after = assertFixedEndToEnd(a, out, 'FL005', atSite('vmf_insert_pfn_pmd_prot'), ['5.15/x86_64']);
  const doms = site(after, 'vmf_insert_pfn_pmd_prot').dominators;
  assert.ok(doms.some((x) => x.families.includes('range-containment')), JSON.stringify(doms));
  assert.ok(doms.some((x) => x.text === 'pe_size == PE_SIZE_PMD' && x.reachedWhen === true));
});

// ---------------------------------------------------------------- FL006

test('FL006: pfn alignment check on the raw pfn inside a pfn_t constructor', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pud');
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL006', s.range), a, text).edits);
  assert.ok(out.includes('\tcase PUD_ORDER:\n\t\tif (!IS_ALIGNED(pfn, PUD_SIZE >> PAGE_SHIFT))\n\t\t\treturn VM_FAULT_FALLBACK;\n\t\tret = vmf_insert_pfn_pud('), out);
  const after = assertFixedEndToEnd(a, out, 'FL006', atSite('vmf_insert_pfn_pud'));
  assert.ok(site(after, 'vmf_insert_pfn_pud').dominators.some((x) => x.families.includes('pfn-alignment')));
});

test('FL006: raw pfn (6.17 style) before a returned insertion', () => {
  const text = fixture('raw_pfn_617.c');
  const a = analyze(text, ['6.17/x86_64']);
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL006', site(a, 'vmf_insert_pfn_pmd').range), a, text).edits);
  assert.ok(out.includes('\t\treturn VM_FAULT_FALLBACK;\n\tif (!IS_ALIGNED(pfn, PMD_SIZE >> PAGE_SHIFT))\n\t\treturn VM_FAULT_FALLBACK;\n\treturn vmf_insert_pfn_pmd('), out);
  const after = assertFixedEndToEnd(a, out, 'FL006', atSite('vmf_insert_pfn_pmd'), ['6.17/x86_64']);
  assert.ok(site(after, 'vmf_insert_pfn_pmd').dominators.some((x) => x.families.includes('pfn-alignment')));
});

test('FL006: the raw pfn of a pfn_t argument', () => {
  assert.equal(rawPfnExpr('pfnt', 'pfn_t'), 'pfn_t_to_pfn(pfnt)');
  assert.equal(rawPfnExpr('__pfn_to_pfn_t(pfn, PFN_DEV)', 'pfn_t'), 'pfn');
  assert.equal(rawPfnExpr('phys_to_pfn_t(dev->phys + off, PFN_DEV | PFN_MAP)', 'pfn_t'), 'PHYS_PFN(dev->phys + off)');
  assert.equal(rawPfnExpr('pfn', 'raw'), 'pfn');
  assert.equal(rawPfnExpr('make_pfn(a, b)', 'pfn_t'), undefined);
});

// ---------------------------------------------------------------- FL008

test('FL008: enum page_entry_size pe_size → unsigned int order, uses and PE_SIZE_* labels rewritten', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text);
  const fn = a.facts.functions.find((f) => f.name === 'demo_huge_fault')!;
  const fix = onlyFix(findingFor(a, 'FL008', fn.params[1]!.range), a, text);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('static vm_fault_t demo_huge_fault(struct vm_fault *vmf, unsigned int order)\n'), out);
  assert.ok(out.includes('\tif (order == PMD_ORDER)\n'));
  assert.ok(out.includes('\telse if (order == 0)\n'));
  // demo_huge_fault2 is another handler: untouched by this fix
  assert.ok(out.includes('demo_huge_fault2(struct vm_fault *vmf, enum page_entry_size pe_size)'));
  const after = assertFixedEndToEnd(a, out, 'FL008', inFunction('demo_huge_fault'));
  assert.equal(after.facts.functions.find((f) => f.name === 'demo_huge_fault')!.params[1]!.type, 'unsigned int');
});

test('FL008: no rewrite when the targets disagree on the signature', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64', '6.12/x86_64']);
  const fn = a.facts.functions.find((f) => f.name === 'demo_huge_fault')!;
  assert.deepEqual(quickFixesFor(findingFor(a, 'FL008', fn.params[1]!.range), a, text), []);
});

test('FL008: unsigned int order → enum page_entry_size pe_size for 5.x targets', () => {
  const text = fixture('raw_pfn_617.c');
  const a = analyze(text, ['5.15/x86_64']);
  const fn = a.facts.functions.find((f) => f.name === 'demo_huge_fault')!;
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL008', fn.params[1]!.range), a, text).edits);
  assert.ok(out.includes('(struct vm_fault *vmf, enum page_entry_size pe_size)\n'));
  assert.ok(out.includes('\tif (pe_size != PE_SIZE_PMD)\n'));
  assertFixedEndToEnd(a, out, 'FL008', inFunction('demo_huge_fault'), ['5.15/x86_64']);
});

// ---------------------------------------------------------------- FL009

test('FL009: vmf_insert_pfn_pmd_prot on 6.12 → vmf_insert_pfn_pmd without the pgprot argument', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pmd_prot');
  const fix = onlyFix(findingFor(a, 'FL009', s.calleeRange), a, text);
  assert.equal(fix.isPreferred, true);
  const out = applyEdits(text, fix.edits);
  assert.ok(out.includes('\t\tret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), true);\n'), out);
  const after = assertFixedEndToEnd(a, out, 'FL009', (f) => f.range.start.line === s.range.start.line);
  const t = site(after, 'vmf_insert_pfn_pmd', 1);
  assert.deepEqual(t.args.map((x) => x.text), ['vmf', '__pfn_to_pfn_t(pfn, PFN_DEV)', 'true']);
});

test('FL009: no _prot rewrite on a target that still has the API, nor for other FL009 cases', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text, ['5.15/x86_64']);
  assert.deepEqual(quickFixesFor(findingFor(a, 'FL009', site(a, 'vmf_insert_pfn_pmd_prot').calleeRange), a, text), []);
  const b = analyze(text, ['6.17/x86_64']);
  assert.deepEqual(quickFixesFor(findingFor(b, 'FL009', rangeOfText(text, 'pfn_to_pfn_t')), b, text), []);
});

// ---------------------------------------------------------------- dispatch, suppression

test('quick fixes find their facts without finding.data, use data.site as a hint, and stay quiet on unknown ranges', () => {
  const text = fixture('order_switch.c');
  const a = analyze(text);
  const s = site(a, 'vmf_insert_pfn_pmd');
  const idx = a.facts.insertionSites.indexOf(s);
  assert.equal(quickFixesFor(findingFor(a, 'FL002', s.range, { site: idx, level: 'pmd' }), a, text).length, 1);
  const nowhere = { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } };
  for (const rule of ['FL001', 'FL002', 'FL005', 'FL006', 'FL007', 'FL008', 'FL009', 'FL011', 'FL010', 'FL012', 'FL003']) {
    assert.deepEqual(quickFixesFor(findingFor(a, rule, nowhere), a, text), [], rule);
  }
});

test('code actions: rule fixes plus the suppression comment, which silences the rule on that line', () => {
  const text = fixture('order_switch.c');
  const base = analyze(text);
  const s = site(base, 'vmf_insert_pfn_pmd');
  const f = findingFor(base, 'FL002', s.range);
  const a: DocumentAnalysis = { ...base, findings: base.findings.some((x) => x === f) ? base.findings : [...base.findings, f] };
  const actions = codeActionsFor(a, text, s.range, '/work/main').filter((x) => x.rule === 'FL002');
  assert.ok(actions.some((x) => x.title.includes('#ifdef') || x.title.includes('CONFIG_ARCH_SUPPORTS_PMD_PFNMAP')));
  const sup = actions.find((x) => x.title.startsWith('Suppress FL002'))!;
  const out = applyEdits(text, sup.edits);
  const line = lineOf(out, 'ret = vmf_insert_pfn_pmd(');
  assert.ok(suppressedLines(out).get(line)?.has('FL002'));
  assert.ok(out.split('\n')[line - 1]!.startsWith('\t\t/* faultline-disable-next-line FL002'));
});

test('FL009 on page_entry_size / PE_SIZE_* offers the ->huge_fault parameter rewrite; after it neither FL008 nor FL009 fires in the handler', () => {
  const text = fixture('pe_size_prot.c');
  const a = analyze(text);
  for (const [needle, nth] of [['page_entry_size', 1], ['PE_SIZE_PMD', 0]] as const) {
    const fixes = quickFixesFor(findingFor(a, 'FL009', rangeOfText(text, needle, nth)), a, text);
    assert.equal(fixes.length, 1, needle);
    assert.ok(fixes[0]!.title.includes('unsigned int order'));
  }
  const fn = a.facts.functions.find((f) => f.name === 'demo_huge_fault')!;
  const out = applyEdits(text, onlyFix(findingFor(a, 'FL008', fn.params[1]!.range), a, text).edits);
  const after = assertFixedEndToEnd(a, out, 'FL009', (f, b) => inFunction('demo_huge_fault')(f, b) && !f.message.includes('_prot'));
  assert.equal(after.findings.filter((f) => f.rule === 'FL008' && inFunction('demo_huge_fault')(f, after)).length, 0);
});
