// The simulator: plays one fault through the core dispatch (model), the handler's own statements
// (the extractor's `body: Stmt[]`, with same-file helpers followed), the insertion (model), the
// core's reaction to the return code (model), and GUP over the installed entry (model).
//
// Conditions are decided by evaluating their text (expr.ts) under the scenario: the fault address
// and VMA bounds are concrete, driver values (struct fields, pfn lookups) are known only modulo a
// huge alignment chosen by the scenario's pfn alignment, the fault level gives `order`/`pe_size`.
// Whatever stays undecided is a fork: the run is replayed with each choice (bounded), and the path
// that installs the largest entry (then the most severe verdict) is the main trace.

import { pfnKindOf } from '../../rules/siteView';
import * as path from 'node:path';
import type { FileFacts, FunctionFact, OpsTable, Stmt, InsertionSite, Range, ReturnValue } from '../../extraction';
import {
  coreOnReturn,
  evaluateGuard,
  formatCitation,
  gupWithFallback,
  hugeFaultReached,
  hugeFaultSignature,
  simulateInsertion,
  type Backing,
  type Confidence,
  type EntryLevel,
  type GupOutcome,
  type InstalledEntry,
  type PfnKind,
  type Profile,
  type Step,
  type Tri,
  type VmaFlags,
} from '../../model';
import { INSERTION_APIS } from '../../extraction';
import type { WorkspaceLookup } from '../../rules/workspaceLookup';
import { evalText, num, showVal, topCall, truth, UNKNOWN, type EvalEnv, type Val } from './expr';
import type { Scenario } from './scenario';
import { verdictRank, type StepKind, type TraceFork, type TraceSource, type TraceStep, type Verdict, type VerdictKind } from './trace';

const MAX_PATHS = 48;
const MAX_FORKS_PER_PATH = 10;
const MAX_CALL_DEPTH = 6;
const MAX_STEPS_PER_FUNCTION = 400;

export interface SimContext {
  facts: FileFacts;
  file: string;
  uri?: string;
  handler: string;
  table?: OpsTable;
  /** Which member of the table the handler is (or reaches): decides level=auto. */
  role: 'huge_fault' | 'fault' | 'other';
  profile: Profile;
  scenario: Scenario;
  backing: Exclude<Backing, 'unknown'>;
  vma: ResolvedVma;
  workspace?: WorkspaceLookup;
}

export interface ResolvedVma {
  names: string[];
  flags: VmaFlags;
  /** Where the flags come from, for the trace. */
  source: string;
  sourceRange?: Range;
  /** The mmap handler refuses this mapping (COW rejection). */
  refused?: string;
}

interface RawStep {
  kind: StepKind;
  text: string;
  citation?: string;
  confidence: Confidence;
  source?: TraceSource;
  fork?: number;
  fromModel?: boolean;
}

interface ForkPoint {
  question: string;
  options: string[];
  taken: number;
  stepIndex: number;
  milestone: number;
  source?: TraceSource;
}

export interface PathResult {
  steps: RawStep[];
  forks: ForkPoint[];
  decisions: number[];
  findings: Verdict[];
  verdict: Verdict;
  milestones: string[];
  /** 3 = PUD, 2 = PMD, 1 = PTE, 0 = nothing installed. */
  installedRank: number;
  /** Largest level of an insertion call reached (installed or not). */
  attemptedRank: number;
  forkLimitHit: boolean;
}

class Stop {
  constructor(readonly verdict: Verdict) {}
}

type Flow =
  | { t: 'normal' }
  | { t: 'return'; val: Val }
  | { t: 'break' }
  | { t: 'continue' }
  | { t: 'goto'; label: string };

interface Frame {
  fn: FunctionFact;
  env: Map<string, Val>;
  depth: number;
}

// ---------------------------------------------------------------------------------------------
// constants and layout

const VM_FAULT: Record<string, number> = {
  VM_FAULT_OOM: 0x1,
  VM_FAULT_SIGBUS: 0x2,
  VM_FAULT_MAJOR: 0x4,
  VM_FAULT_HWPOISON: 0x10,
  VM_FAULT_HWPOISON_LARGE: 0x20,
  VM_FAULT_SIGSEGV: 0x40,
  VM_FAULT_NOPAGE: 0x100,
  VM_FAULT_LOCKED: 0x200,
  VM_FAULT_RETRY: 0x400,
  VM_FAULT_FALLBACK: 0x800,
  VM_FAULT_DONE_COW: 0x1000,
  VM_FAULT_NEEDDSYNC: 0x2000,
  VM_FAULT_COMPLETED: 0x4000,
};

const ERRNO: Record<string, number> = { EINVAL: 22, ENOMEM: 12, EFAULT: 14, EBUSY: 16, EAGAIN: 11, EIO: 5, ENODEV: 19, EPERM: 1, ENXIO: 6, EOPNOTSUPP: 95 };

interface Layout {
  pageShift: number;
  pmdShift: number;
  pudShift: number;
  vmStart: bigint;
  vmEnd: bigint;
  vmPgoff: bigint;
  address: bigint;
  /** Residue of driver values modulo 2^30 (0 = aligned). */
  driverOff: bigint;
}

function archShifts(p: Profile): { pmd: number; pud: number } {
  // s390: segment (PMD) 1 MiB, region-third (PUD) 2 GiB; the others with 4 KiB pages: 2 MiB / 1 GiB.
  if (p.arch === 's390') return { pmd: 20, pud: 31 };
  return { pmd: 21, pud: 30 };
}

export function layoutFor(p: Profile, s: Scenario): Layout {
  const { pmd, pud } = archShifts(p);
  const PUD = 1n << BigInt(pud);
  const PMD = 1n << BigInt(pmd);
  const base = 0x7f0000000000n;
  let vmStart = base;
  let vmEnd = base + 4n * PUD;
  let address = base + PUD + 3n * PMD + 0x5000n;
  if (s.address === 'misaligned') {
    vmStart = base + 0x1000n;
    address = vmStart + 0x5000n;
  } else if (s.address === 'near-end') {
    vmEnd = base + 4n * PUD - 0x1000n;
    address = vmEnd - 0x2000n;
  }
  return { pageShift: 12, pmdShift: pmd, pudShift: pud, vmStart, vmEnd, vmPgoff: 0n, address, driverOff: s.pfn === 'aligned' ? 0n : 0x1001n };
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

function codeName(v: Val): string | undefined {
  if (v.k !== 'num') return undefined;
  if (v.v === 0n) return '0';
  for (const [k, n] of Object.entries(VM_FAULT)) if (BigInt(n) === v.v) return k;
  if (v.v > 1n << 63n) {
    const e = (1n << 64n) - v.v;
    const name = Object.entries(ERRNO).find(([, n]) => BigInt(n) === e)?.[0];
    return `-${name ?? e.toString()}`;
  }
  return hex(v.v);
}

const LEVEL_RANK: Record<EntryLevel, number> = { pte: 1, pmd: 2, pud: 3 };

// ---------------------------------------------------------------------------------------------
// one run

class Run {
  readonly steps: RawStep[] = [];
  readonly forks: ForkPoint[] = [];
  readonly findings: Verdict[] = [];
  readonly milestones: string[] = [];
  entry: InstalledEntry | undefined;
  installedRank = 0;
  attemptedRank = 0;
  forced: string | undefined;
  level: EntryLevel = 'pud';
  forkLimitHit = false;
  private readonly layout: Layout;
  private readonly fns = new Map<string, FunctionFact>();
  private stepBudget = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly choose: (question: string, options: string[]) => number,
  ) {
    this.layout = layoutFor(ctx.profile, ctx.scenario);
    for (const f of ctx.facts.functions) if (!this.fns.has(f.name)) this.fns.set(f.name, f);
  }

  // ---- steps ----

  private push(kind: StepKind, text: string, confidence: Confidence = 'verified', citation?: string, source?: TraceSource): number {
    const s: RawStep = { kind, text, confidence };
    if (citation) s.citation = citation;
    if (source) s.source = source;
    this.steps.push(s);
    return this.steps.length - 1;
  }

  /** Model facts already stated in this trace (capabilities, profile assumptions): said once. */
  private readonly statedModelSteps = new Set<string>();

  private model(kind: StepKind, steps: readonly Step[]): void {
    for (const s of steps) {
      const citation = s.citation ? formatCitation(s.citation) : undefined;
      const key = `${s.text}\u0000${citation ?? ''}`;
      if (this.statedModelSteps.has(key)) continue;
      this.statedModelSteps.add(key);
      this.push(kind, s.text, s.confidence, citation);
      this.steps[this.steps.length - 1]!.fromModel = true;
    }
  }

  private src(range: Range): TraceSource {
    const s: TraceSource = { file: this.ctx.file, line: range.start.line, character: range.start.character };
    if (this.ctx.uri) s.uri = this.ctx.uri;
    return s;
  }

  private handlerStep(range: Range, text: string): number {
    return this.push('handler', text, 'verified', undefined, this.src(range));
  }

  private fork(question: string, options: string[], source?: TraceSource): number {
    const stepIndex = this.steps.length - 1;
    if (this.forks.length >= MAX_FORKS_PER_PATH) {
      this.forkLimitHit = true;
      this.push('note', `Fork limit reached: "${question}" assumed ${options[0]} without exploring the rest.`, 'inferred');
      return 0;
    }
    const taken = this.choose(question, options);
    const fp: ForkPoint = { question, options, taken, stepIndex, milestone: this.milestones.length };
    if (source) fp.source = source;
    this.forks.push(fp);
    if (stepIndex >= 0) this.steps[stepIndex]!.fork = this.forks.length - 1;
    return taken;
  }

  private finding(kind: VerdictKind, summary: string): void {
    this.findings.push({ kind, summary });
  }

  private stop(kind: VerdictKind, summary: string): never {
    this.finding(kind, summary);
    throw new Stop({ kind, summary });
  }

  private guardOk(guard: Stmt['guard'] | undefined, what: string, source?: TraceSource): boolean {
    if (!guard) return true;
    const v = evaluateGuard(guard, this.ctx.profile);
    if (v === true) return true;
    if (v === false) return false;
    return this.fork(`is ${what} compiled in for ${this.ctx.profile.id}?`, ['compiled in', 'compiled out'], source) === 0;
  }

  // ---- evaluation environment ----

  private env(frame: Frame): EvalEnv {
    const L = this.layout;
    const p = this.ctx.profile;
    const PMD = 1n << BigInt(L.pmdShift);
    const PUD = 1n << BigInt(L.pudShift);
    const PAGE = 1n << BigInt(L.pageShift);
    const mask = (x: bigint): bigint => BigInt.asUintN(64, ~(x - 1n));
    const consts: Record<string, bigint> = {
      PAGE_SHIFT: BigInt(L.pageShift), PAGE_SIZE: PAGE, PAGE_MASK: mask(PAGE),
      PMD_SHIFT: BigInt(L.pmdShift), PMD_SIZE: PMD, PMD_MASK: mask(PMD), PMD_ORDER: BigInt(L.pmdShift - L.pageShift),
      PUD_SHIFT: BigInt(L.pudShift), PUD_SIZE: PUD, PUD_MASK: mask(PUD), PUD_ORDER: BigInt(L.pudShift - L.pageShift),
      HPAGE_PMD_SHIFT: BigInt(L.pmdShift), HPAGE_PMD_SIZE: PMD, HPAGE_PMD_MASK: mask(PMD), HPAGE_PMD_ORDER: BigInt(L.pmdShift - L.pageShift), HPAGE_PMD_NR: PMD / PAGE,
      HPAGE_PUD_SHIFT: BigInt(L.pudShift), HPAGE_PUD_SIZE: PUD, HPAGE_PUD_MASK: mask(PUD), HPAGE_PUD_ORDER: BigInt(L.pudShift - L.pageShift), HPAGE_PUD_NR: PUD / PAGE,
      PE_SIZE_PTE: 0n, PE_SIZE_PMD: 1n, PE_SIZE_PUD: 2n,
      FAULT_FLAG_WRITE: 1n, true: 1n, false: 0n, NULL: 0n,
    };
    for (const [k, v] of Object.entries(VM_FAULT)) consts[k] = BigInt(v);
    for (const [k, v] of Object.entries(ERRNO)) consts[k] = BigInt(v);
    const driver: Val = { k: 'sym', shift: 30, off: L.driverOff };
    const pgoff = L.vmPgoff + ((L.address - L.vmStart) >> BigInt(L.pageShift));
    void p;
    return {
      pageShift: L.pageShift,
      ident: (name) => {
        const local = frame.env.get(name);
        if (local) return local;
        const c = consts[name];
        if (c !== undefined) return num(c);
        const d = this.ctx.facts.defines[name];
        if (d && d.text !== name && /^[\w\s()<>|&~+\-*/x]+$/.test(d.text)) return evalText(d.text, this.env({ ...frame, env: new Map() }));
        return undefined;
      },
      field: (base, field) => {
        if (base.k === 'ref' && base.to === 'vmf') {
          switch (field) {
            case 'vma': return { k: 'ref', to: 'vma' };
            case 'address': case 'real_address': return num(L.address);
            case 'pgoff': return num(pgoff);
            case 'flags': return num(this.ctx.scenario.access === 'write' ? 1 : 0);
            default: return UNKNOWN;
          }
        }
        if (base.k === 'ref' && base.to === 'vma') {
          switch (field) {
            case 'vm_start': return num(L.vmStart);
            case 'vm_end': return num(L.vmEnd);
            case 'vm_pgoff': return num(L.vmPgoff);
            case 'vm_private_data': case 'vm_file': case 'vm_mm': return { k: 'ref', to: 'obj' };
            default: return UNKNOWN;
          }
        }
        if (base.k === 'ref' || base.k === 'unknown' || base.k === 'sym') return driver;
        return UNKNOWN;
      },
      call: (callee) => (/pfn|phys|addr|offset|base|start/i.test(callee) ? driver : UNKNOWN),
    };
  }

  private eval(frame: Frame, text: string): Val {
    return evalText(text, this.env(frame));
  }

  // ---- the fault ----

  run(): void {
    const { ctx } = this;
    const L = this.layout;
    const p = ctx.profile;
    this.push('scenario', `${ctx.scenario.access === 'write' ? 'Write' : 'Read'} fault at ${hex(L.address)} in a VMA [${hex(L.vmStart)}, ${hex(L.vmEnd)}) with vm_pgoff ${L.vmPgoff} (${describeAddress(ctx.scenario.address)}); driver pfn/physical bases are ${ctx.scenario.pfn === 'aligned' ? 'huge-aligned' : 'not huge-aligned'}; backing memory: ${describeBacking(ctx.backing)}.`, 'verified');
    if (ctx.vma.sourceRange) this.push('handler', `VMA flags ${ctx.vma.source}: ${ctx.vma.names.length ? ctx.vma.names.map((n) => `VM_${n}`).join('|') : 'none'}; mapping ${ctx.scenario.mapping}.`, 'verified', undefined, this.src(ctx.vma.sourceRange));
    else this.push('scenario', `VMA flags ${ctx.vma.source}: ${ctx.vma.names.length ? ctx.vma.names.map((n) => `VM_${n}`).join('|') : 'none known'}; mapping ${ctx.scenario.mapping}.`, ctx.vma.source.startsWith('unknown') ? 'inferred' : 'verified');
    if (ctx.vma.refused) this.stop('MMAP_REFUSED', ctx.vma.refused);

    const hugeMember = ctx.table?.members.find((m) => m.field === 'huge_fault' && m.value);
    const faultMember = ctx.table?.members.find((m) => m.field === 'fault' && m.value);
    let hasHuge = false;
    if (hugeMember) {
      hasHuge = this.guardOk(hugeMember.guard, `${ctx.table!.name}.huge_fault`, this.src(hugeMember.range));
      if (!hasHuge) this.push('handler', `${ctx.table!.name}.huge_fault = ${hugeMember.value} is compiled out for ${p.id}.`, 'verified', undefined, this.src(hugeMember.range));
    }
    const hugeFn = hasHuge ? this.fns.get(hugeMember!.value!) : undefined;
    const faultFn = faultMember && this.guardOk(faultMember.guard, `${ctx.table!.name}.fault`) ? this.fns.get(faultMember.value!) : undefined;

    const start: EntryLevel = ctx.scenario.level === 'auto' ? (ctx.role === 'fault' ? 'pte' : 'pud') : ctx.scenario.level;
    if (ctx.scenario.level !== 'auto') this.push('scenario', `The simulation starts at the ${start.toUpperCase()} level (forced by the scenario).`, 'verified');
    else if (start === 'pte') this.push('scenario', `${ctx.handler} is the table's .fault handler: the simulation starts at the PTE level (a PMD fallback ends here too).`, 'verified');
    const levels: EntryLevel[] = (['pud', 'pmd', 'pte'] as EntryLevel[]).slice(['pud', 'pmd', 'pte'].indexOf(start));

    for (const level of levels) {
      this.level = level;
      let code: Val;
      if (level !== 'pte') {
        const reached = hugeFaultReached(p, { level, vma: ctx.vma.flags, hasHugeFault: hasHuge, thpPolicy: ctx.scenario.thp });
        this.model('core', reached.steps);
        let r = reached.value;
        if (r === 'unknown') r = this.fork(`does the core call ->huge_fault at ${level.toUpperCase()} level?`, ['called', 'not called']) === 0;
        if (!r && ctx.scenario.level === level && hasHuge) {
          this.push('note', `The core would not call ->huge_fault at ${level.toUpperCase()} level for ${p.id}; the scenario forces level=${level}, so the handler is called anyway (what would happen if it were reached).`, 'verified');
          this.forced = `level forced: the core itself does not call ->huge_fault at ${level.toUpperCase()} level on ${p.id}`;
          r = true;
        }
        if (!r) {
          this.push('core', `No ->huge_fault call at ${level.toUpperCase()} level: the core goes on to the ${level === 'pud' ? 'PMD' : 'PTE'} level.`, reached.confidence);
          this.milestones.push(`${level.toUpperCase()}: ->huge_fault not called`);
          continue;
        }
        if (!hugeFn || !hugeFn.body) {
          this.push('note', `${hugeMember?.value ?? 'the ->huge_fault handler'} is not defined in this file (or not analysed): its outcome is unknown.`, 'inferred');
          this.stop('UNKNOWN', `${hugeMember?.value ?? '->huge_fault'} could not be walked.`);
        }
        code = this.callHuge(hugeFn, level);
      } else {
        if (!faultFn || !faultFn.body) {
          if (!faultMember) {
            this.push('core', 'do_fault(): the VMA has no ->fault, so a file-backed PTE fault returns VM_FAULT_SIGBUS.', 'verified', 'mm/memory.c:do_fault @ v6.12');
            this.milestones.push('PTE: no ->fault → SIGBUS');
            this.stop('SIGBUS', `No ${ctx.table?.name ?? 'vm_ops'}.fault: the PTE-level fault gets VM_FAULT_SIGBUS.`);
          }
          this.push('note', `${faultMember.value} is not defined in this file (or not analysed): its outcome is unknown.`, 'inferred');
          this.stop('UNKNOWN', `${faultMember.value} could not be walked.`);
        }
        this.push('core', `handle_pte_fault() → do_fault() → __do_fault() calls ->fault = ${faultFn.name}(vmf).`, 'verified', 'mm/memory.c:__do_fault @ v6.12');
        this.milestones.push(`PTE: ${faultFn.name}`);
        code = this.callFunction(faultFn, [{ k: 'ref', to: 'vmf' }], 0);
      }
      let name = codeName(code);
      if (name === undefined) {
        const options = ['VM_FAULT_FALLBACK', 'VM_FAULT_NOPAGE', 'VM_FAULT_SIGBUS'];
        this.push('note', `The handler's return value is not known statically.`, 'inferred');
        name = options[this.fork('what does the handler return?', options)]!;
      }
      const reaction = coreOnReturn(p, level, name);
      this.model('core', reaction.steps);
      this.milestones.push(`${level.toUpperCase()} returns ${name}`);
      if (reaction.next === 'try-pmd' || reaction.next === 'try-pte') {
        if (this.entry) this.push('note', `The handler returned ${name} although it installed a ${this.entry.level.toUpperCase()} entry.`, 'inferred');
        continue;
      }
      this.afterReturn(name, level);
      return;
    }
  }

  private callHuge(fn: FunctionFact, level: 'pud' | 'pmd'): Val {
    const p = this.ctx.profile;
    const sig = hugeFaultSignature(p);
    const param = fn.params[1];
    const handlerUsesEnum = param ? /page_entry_size/.test(param.type) : sig.value === 'page_entry_size';
    const own = handlerUsesEnum ? 'page_entry_size' : 'order';
    const L = this.layout;
    const argName = own === 'order' ? (level === 'pud' ? 'PUD_ORDER' : 'PMD_ORDER') : level === 'pud' ? 'PE_SIZE_PUD' : 'PE_SIZE_PMD';
    const argVal = own === 'order' ? (level === 'pud' ? L.pudShift - L.pageShift : L.pmdShift - L.pageShift) : level === 'pud' ? 2 : 1;
    if (param && own !== sig.value) {
      this.push('note', `${fn.name} declares \`${param.type} ${param.name}\` but ${sig.signature.replace(/^vm_fault_t \(\*huge_fault\)/, '->huge_fault')} in ${versionText(p)} (FL008: it does not build as is); simulated in the handler's own terms (${param.name} = ${argName}).`, sig.confidence, sig.steps[0]?.citation ? formatCitation(sig.steps[0].citation) : undefined);
    }
    this.milestones.push(`${level.toUpperCase()}: ${fn.name}(${argName})`);
    return this.callFunction(fn, [{ k: 'ref', to: 'vmf' }, num(argVal)], 0);
  }

  private afterReturn(name: string, level: EntryLevel): void {
    const { ctx } = this;
    if (name === 'VM_FAULT_NOPAGE' || (name === '0' && this.entry)) {
      if (!this.entry) this.stop('REFAULT_LOOP', `The ${level.toUpperCase()}-level handler returns ${name} without installing an entry: the access faults again, forever.`);
      this.gup();
      return;
    }
    if (name === '0') this.stop('REFAULT_LOOP', `The handler returns 0 without installing anything: the access faults again.`);
    if (name === 'VM_FAULT_SIGBUS') this.stop('SIGBUS', `The ${level.toUpperCase()}-level handler returns VM_FAULT_SIGBUS: no fallback, the task gets SIGBUS${level !== 'pte' ? ' (VM_FAULT_FALLBACK would have retried at a smaller level)' : ''}.`);
    if (name === 'VM_FAULT_OOM') this.stop('OOM', `The ${level.toUpperCase()}-level fault ends with VM_FAULT_OOM.`);
    if (name === 'VM_FAULT_FALLBACK' && level === 'pte') this.stop('UNKNOWN', 'VM_FAULT_FALLBACK from the PTE level has no smaller level to fall back to.');
    void ctx;
    this.stop('UNKNOWN', `The handler returns ${name}, which the arch fault handler gets unchanged.`);
  }

  private gup(): void {
    const { ctx } = this;
    const entry = this.entry!;
    const lv = entry.level.toUpperCase();
    if (ctx.scenario.gup === 'none') {
      this.push('note', 'No GUP caller in this scenario.', 'verified');
      this.finish(`${lv} entry installed (${entryBits(entry)}); no GUP simulated.`);
      return;
    }
    this.push('gup', `Later, ${gupLabel(ctx.scenario.gup)} walks the range containing ${hex(this.layout.address)}.`, 'verified');
    const story = gupWithFallback(entry, ctx.vma.flags, ctx.profile, ctx.scenario.gup);
    this.model('gup', story.steps);
    const parts: string[] = [];
    if (story.fast) parts.push(`GUP-fast: ${story.fast.outcome}`);
    if (story.slow) parts.push(`${story.fast ? 'then slow GUP' : 'slow GUP'}: ${story.slow.outcome}`);
    this.milestones.push(parts.join(', ') || story.outcome);
    const kind = gupVerdict(story.outcome);
    const summary = `${lv} entry (${entryBits(entry)}); ${gupLabel(ctx.scenario.gup)} → ${parts.join(', ')}: ${OUTCOME_TEXT[story.outcome]}.`;
    if (kind !== 'SAFE') this.finding(kind, summary);
    this.finish(summary);
  }

  private finish(safeSummary: string): void {
    if (!this.findings.length) this.findings.push({ kind: 'SAFE', summary: safeSummary });
  }

  // ---- functions ----

  private callFunction(fn: FunctionFact, args: Val[], depth: number): Val {
    if (!this.guardOk(fn.guard, `${fn.name}()`, this.src(fn.nameRange))) {
      this.stop('NOT_BUILT', `${fn.name} is compiled out for ${this.ctx.profile.id}.`);
    }
    const env = new Map<string, Val>();
    fn.params.forEach((prm, i) => {
      let v = args[i] ?? UNKNOWN;
      if (v.k === 'unknown' && /vm_fault\s*\*/.test(prm.type)) v = { k: 'ref', to: 'vmf' };
      if (v.k === 'unknown' && /vm_area_struct\s*\*/.test(prm.type)) v = { k: 'ref', to: 'vma' };
      env.set(prm.name, v);
    });
    const frame: Frame = { fn, env, depth };
    const body = fn.body ?? [];
    let flow = this.execList(body, frame);
    let gotos = 0;
    while (flow.t === 'goto' && gotos++ < 32) {
      const label = flow.label;
      const at = body.findIndex((s) => s.kind === 'label' && s.name === label);
      if (at < 0) {
        this.push('note', `goto ${label}: label not found at the top level of ${fn.name}.`, 'inferred');
        return UNKNOWN;
      }
      flow = this.execList(body.slice(at + 1), frame);
    }
    if (flow.t === 'return') return flow.val;
    if (flow.t === 'normal') {
      this.push('note', `${fn.name} ends without a return statement the extractor saw.`, 'inferred');
    }
    return UNKNOWN;
  }

  private execList(stmts: readonly Stmt[], frame: Frame): Flow {
    for (const s of stmts) {
      if (++this.stepBudget > MAX_STEPS_PER_FUNCTION * 8) this.stop('UNKNOWN', 'The walk exceeded its statement budget.');
      if (s.guard && s.kind !== 'label') {
        const g = evaluateGuard(s.guard, this.ctx.profile);
        if (g === false) continue;
        if (g === 'unknown' && !this.guardOk(s.guard, `the statement at line ${s.range.start.line + 1}`, this.src(s.range))) continue;
      }
      const flow = this.exec(s, frame);
      if (flow.t !== 'normal') return flow;
    }
    return { t: 'normal' };
  }

  private exec(s: Stmt, frame: Frame): Flow {
    switch (s.kind) {
      case 'assign': {
        if (!/^\w+$/.test(s.target)) return { t: 'normal' };
        let v: Val;
        const call = topCall(s.value);
        if (s.op === '=' && call && this.isHelper(call.callee)) v = this.callHelper(call.callee, call.args, frame, s.range);
        else if (s.op === '=') v = this.eval(frame, s.value);
        else {
          const op = s.op.slice(0, -1);
          v = this.eval(frame, `(${s.target}) ${op} (${s.value})`);
        }
        frame.env.set(s.target, v);
        return { t: 'normal' };
      }
      case 'call': {
        let v: Val;
        if (this.isHelper(s.callee)) v = this.callHelper(s.callee, s.args, frame, s.range);
        else v = this.eval(frame, `${s.callee}(${s.args.join(', ')})`);
        if (s.assignedTo && /^\w+$/.test(s.assignedTo)) frame.env.set(s.assignedTo, v);
        return { t: 'normal' };
      }
      case 'insert': {
        const v = this.insert(s.site, frame);
        if (s.assignedTo && /^\w+$/.test(s.assignedTo)) frame.env.set(s.assignedTo, v);
        return { t: 'normal' };
      }
      case 'if': {
        const cond = oneLine(s.cond.text);
        const v = truth(this.eval(frame, s.cond.text));
        let taken: boolean;
        if (v === 'unknown') {
          this.handlerStep(s.cond.range, `if (${cond}) → undecided${familyNote(s.cond.families)}`);
          taken = this.fork(`if (${cond})`, ['true', 'false'], this.src(s.cond.range)) === 0;
          this.steps[this.steps.length - 1]!.text = `if (${cond}) → ${taken} (undecided: fork)`;
        } else {
          taken = v;
          this.handlerStep(s.cond.range, `if (${cond}) → ${taken}`);
        }
        return this.execList(taken ? s.then : s.else, frame);
      }
      case 'switch':
        return this.execSwitch(s, frame);
      case 'return': {
        const v = this.returnValue(s, frame);
        const name = codeName(v);
        this.handlerStep(s.range, `${frame.fn.name} returns ${name ?? `${returnText(s.value)} (${showVal(v)})`}`);
        return { t: 'return', val: v };
      }
      case 'goto':
        this.handlerStep(s.range, `goto ${s.label}`);
        return { t: 'goto', label: s.label };
      case 'label':
      case 'opaque':
        return { t: 'normal' };
      case 'break':
        return { t: 'break' };
      case 'continue':
        return { t: 'continue' };
      case 'loop': {
        if (s.cond) {
          const cond = oneLine(s.cond.text);
          const v = truth(this.eval(frame, s.cond.text));
          let enter: boolean;
          if (v === 'unknown') {
            this.handlerStep(s.cond.range, `loop (${cond}) → undecided`);
            enter = this.fork(`loop (${cond}) entered?`, ['entered', 'not entered'], this.src(s.cond.range)) === 0;
            this.steps[this.steps.length - 1]!.text = `loop (${cond}) → ${enter ? 'entered once' : 'not entered'} (undecided: fork)`;
          } else {
            enter = v;
            this.handlerStep(s.cond.range, `loop (${cond}) → ${enter ? 'entered (simulated once)' : 'not entered'}`);
          }
          if (!enter) return { t: 'normal' };
        }
        const flow = this.execList(s.body, frame);
        if (flow.t === 'break' || flow.t === 'continue') return { t: 'normal' };
        return flow;
      }
    }
  }

  private execSwitch(s: Extract<Stmt, { kind: 'switch' }>, frame: Frame): Flow {
    const disc = this.eval(frame, s.discriminant);
    const live: number[] = [];
    const out: string[] = [];
    s.cases.forEach((c, i) => {
      if (!c.guard) return live.push(i);
      const g = evaluateGuard(c.guard, this.ctx.profile);
      if (g === true) live.push(i);
      else if (g === false) out.push(c.labels.join(' | '));
      else if (this.guardOk(c.guard, `case ${c.labels.join(' | ')}`, this.src(c.range))) live.push(i);
      else out.push(c.labels.join(' | '));
    });
    let start = -1;
    let how = '';
    if (disc.k === 'num') {
      start = live.find((i) => s.cases[i]!.labels.some((l) => l !== 'default' && (() => { const v = this.eval(frame, l); return v.k === 'num' && v.v === disc.v; })())) ?? -1;
      if (start < 0) start = live.find((i) => s.cases[i]!.labels.includes('default')) ?? -1;
      how = `${s.discriminant} = ${showVal(disc)}`;
    } else {
      const options = live.map((i) => `case ${s.cases[i]!.labels.join(' | ')}`);
      if (!s.cases.some((c) => c.labels.includes('default'))) options.push('no case matches');
      this.handlerStep(s.range, `switch (${s.discriminant}) → undecided`);
      const k = this.fork(`switch (${s.discriminant})`, options, this.src(s.range));
      start = k < live.length ? live[k]! : -1;
      how = 'undecided: fork';
    }
    const label = start < 0 ? 'no case matches' : `case ${s.cases[start]!.labels.join(' | ')}`;
    const compiledOut = out.length ? `; compiled out for ${this.ctx.profile.id}: case ${out.join(', case ')}` : '';
    const text = `switch (${s.discriminant}) → ${label} (${how}${compiledOut})`;
    if (how === 'undecided: fork') this.steps[this.steps.length - 1]!.text = text;
    else this.handlerStep(s.range, text);
    if (start < 0) return { t: 'normal' };
    for (const i of live.filter((i) => i >= start)) {
      const flow = this.execList(s.cases[i]!.body, frame);
      if (flow.t === 'break') return { t: 'normal' };
      if (flow.t !== 'normal') return flow;
    }
    return { t: 'normal' };
  }

  private returnValue(s: Extract<Stmt, { kind: 'return' }>, frame: Frame): Val {
    const v = s.value;
    switch (v.kind) {
      case 'constant':
        return this.eval(frame, v.name);
      case 'insertion-result':
        return this.insert(v.site, frame);
      case 'variable':
        return frame.env.get(v.name) ?? this.eval(frame, v.name);
      case 'call': {
        const call = topCall(v.text);
        if (call && this.isHelper(call.callee)) return this.callHelper(call.callee, call.args, frame, s.range);
        return this.eval(frame, v.text);
      }
      case 'expression':
        return this.eval(frame, v.text);
      case 'none':
        return UNKNOWN;
    }
  }

  private isHelper(name: string): boolean {
    const f = this.fns.get(name);
    if (f) return f.detailed && !!f.body;
    return !!this.ctx.workspace?.fileDefining(name);
  }

  private callHelper(name: string, argTexts: string[], frame: Frame, range: Range): Val {
    const f = this.fns.get(name);
    if (f && f.body) {
      if (frame.depth >= MAX_CALL_DEPTH) {
        this.handlerStep(range, `calls ${name}(…): call depth limit reached, result unknown`);
        return UNKNOWN;
      }
      const args = argTexts.map((a) => this.eval(frame, a));
      this.handlerStep(range, `calls ${name}(${argTexts.map(oneLine).join(', ')})`);
      return this.callFunction(f, args, frame.depth + 1);
    }
    // Defined in another file: only the index summary is known.
    const other = this.ctx.workspace?.fileDefining(name);
    const summary = other?.summary.functions.find((x) => x.name === name);
    const where = other ? path.basename(other.file) : 'another file';
    const site = summary?.sites.find((x) => x.level === this.level) ?? summary?.sites[0];
    if (!site) {
      this.handlerStep(range, `calls ${name}() from ${where} — unknown helper (not walked; no insertion in its summary)`);
      return UNKNOWN;
    }
    this.handlerStep(range, `calls ${name}() from ${where} — unknown helper: its summary shows ${site.api}()`);
    const k = this.fork(`what does ${name}() (${where}) do?`, [`inserts via ${site.api}`, 'returns VM_FAULT_FALLBACK'], this.src(range));
    if (k === 1) return num(VM_FAULT.VM_FAULT_FALLBACK!);
    const pfn: PfnKind = site.pfnKind === 'pfn_t' ? { kind: 'unknown' } : site.pfnKind === 'raw' ? { kind: 'raw' } : site.pfnKind === 'folio' ? { kind: 'folio' } : site.pfnKind === 'page' ? { kind: 'page' } : { kind: 'unknown' };
    return this.modelInsert(site.api, pfn, undefined, undefined, range);
  }

  // ---- insertion ----

  private insert(siteIndex: number, frame: Frame): Val {
    const site = this.ctx.facts.insertionSites[siteIndex];
    if (!site) {
      this.push('note', `Insertion site #${siteIndex} is missing from the facts.`, 'inferred');
      return UNKNOWN;
    }
    let api = site.api;
    if (site.isWrapperCall) {
      let w = this.ctx.facts.wrappers.find((x) => x.name === api);
      let hops = 0;
      while (w && !INSERTION_APIS[w.calls] && hops++ < 5) w = this.ctx.facts.wrappers.find((x) => x.name === w!.calls);
      if (w && INSERTION_APIS[w.calls]) {
        this.handlerStep(site.range, `${api}() wraps ${w.calls}()`);
        api = w.calls;
      }
    }
    const info = INSERTION_APIS[api];
    let pfnVal: Val | undefined;
    if (info && info.argKind === 'pfn') {
      const a = site.args[info.pfnArg];
      if (a) pfnVal = this.eval(frame, a.text);
    }
    let write: Tri | undefined;
    if (site.writeArg !== undefined) {
      const w = truth(this.eval(frame, site.writeArg));
      write = w;
    }
    return this.modelInsert(api, pfnKindOf(site), pfnVal, write, site.range, site);
  }

  private modelInsert(api: string, pfn: PfnKind, pfnVal: Val | undefined, write: Tri | undefined, range: Range, site?: InsertionSite): Val {
    const { ctx } = this;
    const L = this.layout;
    const info = INSERTION_APIS[api];
    const level: EntryLevel | 'range' = info ? (info.level === 'unknown' ? 'pte' : info.level) : 'pte';
    const size = level === 'pud' ? 1n << BigInt(L.pudShift) : level === 'pmd' ? 1n << BigInt(L.pmdShift) : 1n << BigInt(L.pageShift);
    const start = L.address & ~(size - 1n);
    const pfnAligned = level === 'pmd' || level === 'pud' ? alignedPfn(pfnVal, Number(size >> BigInt(L.pageShift))) : true;
    const pfnText = pfn.kind === 'pfn_t' ? `pfn_t ${pfn.flags.length ? pfn.flags.join('|') : '0'}` : pfn.kind === 'unknown' ? 'pfn of unknown kind' : pfn.kind;
    const writeText = write === undefined ? '' : `, write=${write === 'unknown' ? 'unknown' : write}`;
    const alignText = level === 'pmd' || level === 'pud' ? `, pfn ${pfnAligned === 'unknown' ? 'alignment unknown' : pfnAligned ? 'aligned' : 'NOT aligned'} to ${level.toUpperCase()}` : '';
    this.handlerStep(range, `calls ${api}(${pfnText}${writeText}${alignText})`);
    if (level !== 'range') this.attemptedRank = Math.max(this.attemptedRank, LEVEL_RANK[level]);
    if (level !== 'range' && level !== this.level && (level === 'pmd' || level === 'pud')) {
      this.push('note', `A ${level.toUpperCase()} insertion during a ${this.level.toUpperCase()}-level fault: vmf->${level} is not the slot the core prepared; the model simulates the insertion as if it were.`, 'inferred');
    }
    const res = simulateInsertion({
      api,
      pfn,
      vma: ctx.vma.flags,
      write: write === undefined ? ctx.scenario.access === 'write' : write === 'unknown' ? ctx.scenario.access === 'write' : write,
      backing: ctx.backing,
      folioOrderMatches: ctx.backing === 'folio' ? true : 'unknown',
      alignedStartInVma: start >= L.vmStart,
    }, ctx.profile);
    this.model('insertion', res.steps);
    for (const c of [...res.bugOns, ...res.warns]) this.model('insertion', c.steps);
    let code = res.returnCode;
    if (code === 'BUG') {
      const b = res.bugOns.find((x) => x.fires === true)!;
      this.milestones.push(`${api}: BUG_ON(${b.condition})`);
      this.stop('BUG_ON', `${api}() hits BUG_ON(${b.condition}) for this VMA (${ctx.vma.names.map((n) => `VM_${n}`).join('|') || 'no flags'}).`);
    }
    if (code === 'NOT_BUILT') {
      this.milestones.push(`${api}: not built`);
      this.stop('NOT_BUILT', `${api}() does not exist for ${ctx.profile.id}${site ? ` (called at ${path.basename(ctx.file)}:${site.range.start.line + 1})` : ''}.`);
    }
    if (code === 'unknown') {
      const unknownBug = res.bugOns.find((b) => b.fires === 'unknown');
      if (unknownBug) {
        const k = this.fork(`does BUG_ON(${unknownBug.condition}) fire?`, ['does not fire', 'fires']);
        if (k === 1) {
          this.milestones.push(`${api}: BUG_ON(${unknownBug.condition})`);
          this.stop('BUG_ON', `${api}() hits BUG_ON(${unknownBug.condition}) if the unknown inputs say so.`);
        }
      }
      code = res.entry ? (res.api === 'vm_insert_page' ? '0' : 'VM_FAULT_NOPAGE') : 'unknown';
    }
    if (res.entry) {
      this.entry = res.entry;
      this.installedRank = Math.max(this.installedRank, LEVEL_RANK[res.entry.level]);
      this.milestones.push(`${api} installs a ${res.entry.level.toUpperCase()} entry (${entryBits(res.entry)})`);
      if (pfnAligned === false) {
        this.push('insertion', `The pfn is not aligned to the ${level.toUpperCase()} size: the huge entry maps a physical range that does not start at the driver's pfn (the low pfn bits are dropped or corrupt the entry).`, 'inferred');
        this.finding('MISALIGNED_PFN', `${api}() installs a ${level.toUpperCase()} entry from a pfn that is not ${level.toUpperCase()}-aligned: userspace sees the wrong memory.`);
      }
      if ((level === 'pmd' || level === 'pud') && start + size > L.vmEnd) {
        this.push('insertion', `The ${level.toUpperCase()} range [${hex(start)}, ${hex(start + size)}) ends past vm_end ${hex(L.vmEnd)}: the entry maps beyond the VMA.`, 'verified', `mm/huge_memory.c:vmf_insert_pfn_${level} @ v6.12`);
        this.finding('MAPS_BEYOND_VMA', `${api}() installs a ${level.toUpperCase()} entry whose range ends past vm_end (the handler does not check the end of the huge range).`);
      }
    } else this.milestones.push(`${api} returns ${code}`);
    if (code === 'unknown') return UNKNOWN;
    if (code === '0') return num(0);
    return num(VM_FAULT[code] ?? 0);
  }
}

// ---------------------------------------------------------------------------------------------
// helpers

function alignedPfn(v: Val | undefined, pages: number): Tri {
  if (!v) return 'unknown';
  const mask = BigInt(pages - 1);
  if (v.k === 'num') return (v.v & mask) === 0n;
  if (v.k === 'sym' && BigInt(1) << BigInt(v.shift) >= BigInt(pages)) return (BigInt.asUintN(64, v.off) & mask) === 0n;
  return 'unknown';
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 96 ? `${t.slice(0, 95)}…` : t;
}

function returnText(v: ReturnValue): string {
  switch (v.kind) {
    case 'constant':
      return v.name;
    case 'variable':
      return v.name;
    case 'call':
    case 'expression':
      return oneLine(v.text);
    case 'insertion-result':
      return 'the insertion result';
    case 'none':
      return 'nothing';
  }
}

function familyNote(f: readonly string[]): string {
  const fams = f.filter((x) => x !== 'other');
  return fams.length ? ` (${fams.join(', ')} check)` : '';
}

function describeAddress(a: Scenario['address']): string {
  return a === 'aligned' ? 'every huge range around the address lies inside the VMA' : a === 'misaligned' ? 'the VMA start is not huge-aligned, so the huge range around the address starts before vm_start' : 'the huge range around the address crosses vm_end';
}

function describeBacking(b: Exclude<Backing, 'unknown'>): string {
  switch (b) {
    case 'iomem':
      return 'iomem without struct page';
    case 'driver-pages':
      return 'driver-owned system RAM pages (not a THP)';
    case 'dev-pagemap':
      return 'device memory with a dev_pagemap (ZONE_DEVICE)';
    case 'folio':
      return 'a refcounted folio of the huge order';
  }
}

function versionText(p: Profile): string {
  return `v${p.version.major}.${p.version.minor}`;
}

export function entryBits(e: InstalledEntry): string {
  const t = (x: Tri): string => (x === 'unknown' ? '?' : x ? 'yes' : 'no');
  return `devmap ${t(e.devmap)}, special ${t(e.special)}, refcounted ${t(e.refcounted)}`;
}

export function gupLabel(g: Scenario['gup']): string {
  switch (g) {
    case 'pin_user_pages_fast_longterm':
      return 'pin_user_pages_fast(FOLL_LONGTERM)';
    case 'follow_pfnmap':
      return 'follow_pfnmap_start()';
    case 'none':
      return 'nothing';
    default:
      return `${g}()`;
  }
}

function gupVerdict(o: GupOutcome): VerdictKind {
  switch (o) {
    case 'derefs-missing-struct-page':
      return 'GUP_DEREFS_MISSING_STRUCT_PAGE';
    case 'refcounts-driver-page':
      return 'GUP_REFCOUNTS_DRIVER_PAGE';
    case 'walks-as-thp':
      return 'GUP_WALKS_AS_THP';
    case 'unknown':
      return 'UNKNOWN';
    default:
      return 'SAFE';
  }
}

const OUTCOME_TEXT: Record<GupOutcome, string> = {
  'derefs-missing-struct-page': 'the leaf is walked as a THP and a struct page that does not exist is dereferenced',
  'refcounts-driver-page': 'the leaf is walked as a THP and driver-owned pages are refcounted',
  'walks-as-thp': 'the leaf is walked as a THP (whether a proper struct page is behind it is unknown)',
  'folio-reference': 'a legitimate folio reference is taken',
  'devmap-reference': 'dev_pagemap references are taken legitimately',
  'falls-back-no-pagemap': 'no dev_pagemap, so GUP-fast falls back',
  'bails-special': 'the special bit stops GUP-fast',
  'bails-pte-no-special': 'GUP-fast cannot tell special PTEs and fails',
  'refused-longterm': 'FOLL_LONGTERM is refused',
  'no-fast-gup': 'there is no GUP-fast on this arch',
  'efault-vma-flags': 'slow GUP refuses VM_IO|VM_PFNMAP with -EFAULT',
  'efault-no-pagemap': 'slow GUP finds no dev_pagemap and returns -EFAULT',
  'efault-special': 'slow GUP finds no normal page and returns -EFAULT',
  'translates-pfn': 'the pfn is translated without touching a struct page',
  'refused-not-pfnmap': 'follow_pfnmap_start refuses the VMA',
  unknown: 'the outcome depends on facts the model does not have',
};

// ---------------------------------------------------------------------------------------------
// exploration

function runPath(ctx: SimContext, choose: (q: string, o: string[]) => number): PathResult {
  const r = new Run(ctx, choose);
  let verdict: Verdict | undefined;
  try {
    r.run();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  const worst = [...r.findings].sort((a, b) => verdictRank(a.kind) - verdictRank(b.kind))[0];
  verdict = worst ?? { kind: 'UNKNOWN', summary: 'The simulation ended without a verdict.' };
  if (r.forced) verdict = { kind: verdict.kind, summary: `${verdict.summary} [${r.forced}]` };
  return { steps: r.steps, forks: r.forks.slice(), decisions: [], findings: r.findings, verdict, milestones: r.milestones, installedRank: r.installedRank, attemptedRank: r.attemptedRank, forkLimitHit: r.forkLimitHit };
}

export interface Exploration {
  main: PathResult;
  all: PathResult[];
  truncated: boolean;
}

function better(a: PathResult, b: PathResult): boolean {
  if (a.attemptedRank !== b.attemptedRank) return a.attemptedRank > b.attemptedRank;
  if (a.installedRank !== b.installedRank) return a.installedRank > b.installedRank;
  const ra = verdictRank(a.verdict.kind);
  const rb = verdictRank(b.verdict.kind);
  if (ra !== rb) return ra < rb;
  // Ties: the path that goes further (through the handler's checks rather than out of them).
  return a.steps.length > b.steps.length;
}

export function explore(ctx: SimContext): Exploration {
  const all: PathResult[] = [];
  const queue: number[][] = [[]];
  let truncated = false;
  while (queue.length) {
    if (all.length >= MAX_PATHS) {
      truncated = true;
      break;
    }
    const prefix = queue.shift()!;
    const decisions = [...prefix];
    let depth = 0;
    const r = runPath(ctx, (_q, options) => {
      const i = depth++;
      if (i < decisions.length) return Math.min(decisions[i]!, options.length - 1);
      decisions.push(0);
      for (let alt = 1; alt < options.length; alt++) queue.push([...decisions.slice(0, i), alt]);
      return 0;
    });
    r.decisions = decisions.slice(0, r.forks.length);
    if (r.forkLimitHit) truncated = true;
    all.push(r);
  }
  let main = all[0]!;
  for (const r of all.slice(1)) if (better(r, main)) main = r;
  return { main, all, truncated };
}

/** Steps, forks and the list of other verdicts of an exploration, numbered for output. */
export function numberTrace(ex: Exploration): { steps: TraceStep[]; forks: TraceFork[]; otherVerdicts: VerdictKind[] } {
  const { main, all } = ex;
  const steps: TraceStep[] = main.steps.map((s, i) => {
    const t: TraceStep = { n: i + 1, kind: s.kind, origin: s.source ? 'handler' : s.fromModel ? 'model' : 'simulation', text: s.text, confidence: s.confidence };
    if (s.citation) t.citation = s.citation;
    if (s.source) t.source = s.source;
    if (s.fork !== undefined) t.fork = s.fork;
    return t;
  });
  const forks: TraceFork[] = main.forks.map((f, i) => {
    const prefix = main.decisions.slice(0, i);
    const alternatives = f.options.map((choice, k) => {
      if (k === f.taken) return { choice };
      const matching = all.filter((r) => r.decisions.length > i && prefix.every((d, j) => r.decisions[j] === d) && r.decisions[i] === k);
      if (!matching.length) return { choice, unexplored: true };
      let best = matching[0]!;
      for (const r of matching.slice(1)) if (better(r, best)) best = r;
      const tail = best.milestones.slice(f.milestone);
      const alt: { choice: string; verdict: Verdict; path?: string } = { choice, verdict: best.verdict };
      if (tail.length) alt.path = tail.join(' → ');
      return alt;
    });
    const fork: TraceFork = { step: f.stepIndex + 1, question: f.question, taken: f.options[f.taken]!, alternatives };
    if (f.source) fork.source = f.source;
    return fork;
  });
  const other = new Set<VerdictKind>();
  for (const r of all) if (r.verdict.kind !== main.verdict.kind) other.add(r.verdict.kind);
  const otherVerdicts = [...other].sort((a, b) => verdictRank(a) - verdictRank(b));
  return { steps, forks, otherVerdicts };
}
