// FL007 no-fallback: the huge path gives up with VM_FAULT_SIGBUS where VM_FAULT_FALLBACK would let
// the core retry one level smaller (unsupported size, misalignment, failed insertion), or drops
// the insertion's result. SIGBUS tied to the backing object's own mapping granularity (device-dax
// `align`) and SIGBUS for out-of-range or error conditions are left alone.

import { coreOnReturn, type Profile } from '../model';
import type { FunctionFact, Stmt } from '../extraction';
import type { Rule, RuleContext, RuleHit } from './engine';
import { ALIGN_MEMBER } from './checks';
import { compiled, functionOf, isHugeLevel, liveHugeSite, localChains, renderSteps, siteCompiled, walkStmts, FOLIO_APIS, HUGE_PFN_APIS, type StmtVisit } from './siteView';

const APIS = new Set([...HUGE_PFN_APIS, ...FOLIO_APIS]);

type Why = 'size' | 'alignment' | 'insertion';

function classify(path: StmtVisit['path'], resultVars: string[]): Why | undefined {
  const inner = path[path.length - 1];
  if (!inner) return undefined;
  const text = inner.cond.text;
  if (ALIGN_MEMBER.test(text)) return undefined;
  const fams = inner.cond.families;
  if (inner.branch === 'then' || inner.branch === 'after') {
    const negative = /!=|<|>|^\s*!/.test(text);
    const thenLike = inner.branch === 'then';
    if (thenLike && fams.includes('pfn-alignment')) return 'alignment';
    if (thenLike && (resultVars.some((v) => new RegExp(`\\b${v}\\b`).test(text)) || /vmf_insert_/.test(text))) return 'insertion';
    if (fams.includes('size-dispatch')) {
      if (thenLike && negative) return 'size';
      if (!thenLike && /==/.test(text) && !negative) return 'size';
    }
    return undefined;
  }
  if (inner.branch === 'else') return fams.includes('size-dispatch') && /==/.test(text) && !/!=/.test(text) ? 'size' : undefined;
  if (inner.branch === 'case') return fams.includes('size-dispatch') && inner.labels?.includes('default') ? 'size' : undefined;
  return undefined;
}

function condRange(path: StmtVisit['path'], fn: FunctionFact): FunctionFact['range'] {
  const c = path[path.length - 1]?.cond;
  return c && 'range' in c ? c.range : fn.nameRange;
}

const MESSAGE: Record<Why, string> = {
  size: 'This huge fault path returns VM_FAULT_SIGBUS for a fault size it does not handle; return VM_FAULT_FALLBACK so the core retries at the next smaller level',
  alignment: 'This huge fault path returns VM_FAULT_SIGBUS when the pfn or address is not huge-aligned; return VM_FAULT_FALLBACK so the core maps it with smaller entries',
  insertion: 'This huge fault path turns a failed huge insertion into VM_FAULT_SIGBUS; return VM_FAULT_FALLBACK so the core retries at the next smaller level',
};

export const FL007: Rule = {
  id: 'FL007',
  name: 'no-fallback',
  defaultSeverity: 'warning',
  summary: 'The huge path gives up with something other than VM_FAULT_FALLBACK, or drops the insertion result.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    const facts = ctx.facts;
    // Functions on handler chains that reach a live huge insertion.
    const fns = new Map<string, { fn: FunctionFact; handler: string }>();
    for (const c of localChains(facts)) {
      if (c.site.index === undefined) continue;
      const site = facts.insertionSites[c.site.index];
      if (!site || !isHugeLevel(site) || !liveHugeSite(ctx, site, p, APIS)) continue;
      for (const s of c.steps) {
        if (s.file !== undefined && s.file !== facts.file) continue;
        const fn = functionOf(facts, s.function);
        if (fn && fn.detailed && compiled(fn.guard, p) && !fns.has(fn.name)) fns.set(fn.name, { fn, handler: c.handler });
      }
    }
    const seen = new Set<string>();
    for (const { fn, handler } of fns.values()) {
      const resultVars = facts.insertionSites.filter((s) => s.enclosingFunction === fn.name && s.resultVariable).map((s) => s.resultVariable!);
      walkStmts(fn.body, (v) => {
        const s = v.stmt as Stmt;
        if (s.kind !== 'return' || s.value.kind !== 'constant' || s.value.name !== 'VM_FAULT_SIGBUS') return;
        if (s.guard && !compiled(s.guard, p)) return;
        const why = classify(v.path, resultVars);
        if (!why) return;
        const key = `${s.range.start.line}:${s.range.start.character}`;
        if (seen.has(key)) return;
        seen.add(key);
        const react = coreOnReturn(p, 'pmd', 'VM_FAULT_SIGBUS');
        const fb = coreOnReturn(p, 'pmd', 'VM_FAULT_FALLBACK');
        out.push({
          range: s.range,
          message: MESSAGE[why],
          related: [{ range: condRange(v.path, fn), message: 'the condition that leads here' }],
          explanation: renderSteps('What the core does with the return code', [...react.steps, ...fb.steps]),
          data: { handler, kind: why },
        });
      });
    }
    // Dropped insertion results.
    facts.insertionSites.forEach((site, index) => {
      if (!isHugeLevel(site) || !APIS.has(site.api) || site.isWrapperCall || !siteCompiled(facts, site, p) || !liveHugeSite(ctx, site, p, APIS)) return;
      const dropped = site.result === 'ignored' || (site.result === 'assigned' && site.resultReturned === false && site.resultTested === false);
      if (!dropped) return;
      out.push({
        range: site.range,
        message: `The result of ${site.api} is dropped: a VM_FAULT_SIGBUS or VM_FAULT_OOM from the insertion never reaches the core`,
        data: { site: index, api: site.api, level: site.level, kind: 'dropped' },
      });
    });
    return out;
  },
};
