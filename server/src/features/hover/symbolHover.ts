// Hover on VM_FAULT_* codes (meaning, and what the core does with the code at the level the
// enclosing handler serves) and on PFN_*, VM_* and the other model symbols (meaning, and whether
// each target's version has them).

import type { FileFacts, FunctionFact, Stmt } from '../../extraction';
import type { Position } from '../../common/text';
import { type EntryLevel, type Profile } from '../../model';
import { contains, enclosingFunction, type AnalysisIndex } from './context';
import { assemble, code, groupByTarget, keySteps, stepLine, type TargetBlock } from './format';
import { m } from './memo';

const KIND: Record<string, string> = {
  'pfn-flag': 'pfn_t flag',
  'vm-flag': 'VMA flag',
  'vm-fault-code': 'fault return code',
  type: 'type',
  function: 'helper',
  macro: 'macro',
  enum: 'enum',
  'enum-constant': 'enum constant',
};

function levelOfText(t: string): EntryLevel | undefined {
  const pud = /PUD|\bpud\b/.test(t);
  const pmd = /PMD|\bpmd\b/.test(t);
  if (pud !== pmd) return pud ? 'pud' : 'pmd';
  if (!pud && /PE_SIZE_PTE|^\s*0\s*$/.test(t)) return 'pte';
  return undefined;
}

/** The level a position is on, from the enclosing switch case / if-then branch. */
function levelInBody(stmts: readonly Stmt[], p: Position): { level: EntryLevel; why: string } | undefined {
  for (const s of stmts) {
    if (!contains(s.range, p)) continue;
    if (s.kind === 'switch') {
      for (const c of s.cases) {
        if (!contains(c.range, p)) continue;
        const inner = levelInBody(c.body, p);
        if (inner) return inner;
        const lv = c.labels.filter((l) => l !== 'default').map(levelOfText);
        if (lv.length && lv.every((l) => l && l === lv[0])) return { level: lv[0]!, why: `case ${c.labels.join(', ')}` };
      }
    } else if (s.kind === 'if') {
      const inThen = s.then.some((x) => contains(x.range, p));
      const inner = levelInBody(inThen ? s.then : s.else, p);
      if (inner) return inner;
      const lv = levelOfText(s.cond.text);
      const eq = /==/.test(s.cond.text) && !/!=|\|\||&&/.test(s.cond.text);
      const ne = /!=/.test(s.cond.text) && !/==|\|\||&&/.test(s.cond.text);
      if (lv && ((inThen && eq) || (!inThen && ne))) return { level: lv, why: `${inThen ? 'if' : 'else of'} (${s.cond.text})` };
    } else if (s.kind === 'loop') {
      return levelInBody(s.body, p);
    }
  }
  return undefined;
}

interface LevelAnswer {
  fn?: FunctionFact;
  levels: EntryLevel[];
  why: string;
}

function levelAt(facts: FileFacts, idx: AnalysisIndex, p: Position): LevelAnswer {
  const fn = enclosingFunction(facts, p);
  if (!fn) return { levels: [], why: 'not inside a function' };
  const via = idx.reachedVia.get(fn.name);
  if (!via || ![...via].some((f) => f === 'huge_fault' || f === 'fault')) return { fn, levels: [], why: `${code(fn.name)} is not reached from a .fault/.huge_fault handler of this file` };
  if (!via.has('huge_fault')) return { fn, levels: ['pte'], why: `${code(fn.name)} serves .fault (PTE level)` };
  const inBody = fn.body ? levelInBody(fn.body, p) : undefined;
  if (inBody) return { fn, levels: [inBody.level], why: `${code(fn.name)}, ${code(inBody.why)}` };
  const levels: EntryLevel[] = via.has('fault') ? ['pud', 'pmd', 'pte'] : ['pud', 'pmd'];
  return { fn, levels, why: `${code(fn.name)} serves ${[...via].map((f) => '.' + f).join(' and ')}; the level at this line is not known` };
}

export function faultCodeHover(facts: FileFacts, idx: AnalysisIndex, name: string, pos: Position, profiles: readonly Profile[]): string | undefined {
  const info = profiles.length ? m.symbolInfo(profiles[0]!, name) : undefined;
  const head = [`**${name}** — ${info ? info.meaning : 'fault return code (not in the model\'s table)'}`];
  const at = levelAt(facts, idx, pos);
  head.push('', at.levels.length === 1 ? `Level here: ${at.levels[0]!.toUpperCase()} (${at.why}).` : at.levels.length ? `Level not known here (${at.why}); each level is shown.` : `Level not known (${at.why}).`);
  if (!at.levels.length) return head.join('\n');
  const groups = groupByTarget(profiles, (p): TargetBlock => {
    const lines: string[] = [];
    const parts: string[] = [];
    for (const lv of at.levels) {
      const r = m.coreOnReturn(p, lv, name);
      parts.push(`${lv.toUpperCase()}: ${r.userVisible}`);
      for (const l of r.steps.map(stepLine)) if (!lines.includes(l)) lines.push(l);
    }
    return { lines: [parts.join(' · '), ...lines] };
  });
  return assemble(head, groups);
}

export function symbolHover(name: string, profiles: readonly Profile[]): string | undefined {
  const infos = profiles.map((p) => ({ p, i: m.symbolInfo(p, name) }));
  const first = infos.find((x) => x.i)?.i;
  if (!first) return undefined;
  const head = [`**${first.name}** — ${KIND[first.kind] ?? first.kind}`, '', first.meaning];
  const span = [first.since ? `Added in v${first.since}.` : '', first.removedIn ? `Removed in v${first.removedIn}.` : ''].filter(Boolean).join(' ');
  if (span) head.push(span);
  const groups = groupByTarget(profiles, (p): TargetBlock => {
    const i = m.symbolInfo(p, name);
    if (!i) return { lines: ['unknown'] };
    const state = i.exists ? (i.confidence === 'uncertain' ? 'existence uncertain' : 'exists') : '**does not exist**';
    // Rows without a timeline restate the meaning in their step: show only where it is defined.
    const steps = keySteps(i.steps, 1).map((st) => (st.text.startsWith(`${i.name}: `) && st.citation ? { ...st, text: 'Definition' } : st));
    return { lines: [state, ...steps.map(stepLine)] };
  });
  return assemble(head, groups);
}
