// The simulation's result data: numbered steps, forks, verdict. Plain JSON (the LSP result, the
// CLI --format json output and the VS Code view all use this shape; docs/simulate.md).

import type { Confidence } from '../../model';

export type StepKind = 'scenario' | 'core' | 'handler' | 'insertion' | 'gup' | 'note';

export interface TraceSource {
  uri?: string;
  file: string;
  /** 0-based line (LSP). Text rendering shows line + 1. */
  line: number;
  character: number;
}

export interface TraceStep {
  n: number;
  kind: StepKind;
  /** Who says so: the embedded model, the simulator itself, or the handler's source. */
  origin: 'model' | 'simulation' | 'handler';
  text: string;
  /** `file:symbol @ vX.Y` (or `LKML "subject" (vX.Y)`) for model steps. */
  citation?: string;
  confidence: Confidence;
  /** Handler steps: where in the source. */
  source?: TraceSource;
  /** Set on a step where an undecided condition forked; index into `forks`. */
  fork?: number;
}

export type VerdictKind =
  | 'SAFE'
  | 'BUG_ON'
  | 'GUP_DEREFS_MISSING_STRUCT_PAGE'
  | 'GUP_REFCOUNTS_DRIVER_PAGE'
  | 'MISALIGNED_PFN'
  | 'MAPS_BEYOND_VMA'
  | 'GUP_WALKS_AS_THP'
  | 'SIGBUS'
  | 'REFAULT_LOOP'
  | 'OOM'
  | 'MMAP_REFUSED'
  | 'NOT_BUILT'
  | 'UNKNOWN';

/** Most severe first: the verdict of a path is its most severe finding. */
export const VERDICT_ORDER: VerdictKind[] = [
  'BUG_ON',
  'GUP_DEREFS_MISSING_STRUCT_PAGE',
  'GUP_REFCOUNTS_DRIVER_PAGE',
  'MISALIGNED_PFN',
  'MAPS_BEYOND_VMA',
  'GUP_WALKS_AS_THP',
  'SIGBUS',
  'REFAULT_LOOP',
  'OOM',
  'MMAP_REFUSED',
  'NOT_BUILT',
  'UNKNOWN',
  'SAFE',
];

export const VERDICT_MEANING: Record<VerdictKind, string> = {
  SAFE: 'an entry is installed (or the fault ends cleanly) and GUP never misuses a struct page',
  BUG_ON: 'a BUG_ON precondition of the insertion API fires (kernel oops)',
  GUP_DEREFS_MISSING_STRUCT_PAGE: 'GUP walks the huge entry as a THP and dereferences a struct page that does not exist',
  GUP_REFCOUNTS_DRIVER_PAGE: 'GUP takes references on driver-owned pages as if they were a THP',
  MISALIGNED_PFN: 'a huge entry is installed with a pfn that is not aligned to the entry size',
  MAPS_BEYOND_VMA: 'the huge entry extends past vm_end',
  GUP_WALKS_AS_THP: 'GUP walks the entry as a THP; whether a proper struct page is behind it is unknown',
  SIGBUS: 'the faulting task gets SIGBUS',
  REFAULT_LOOP: 'nothing is installed but the fault reports success: the access faults again',
  OOM: 'VM_FAULT_OOM reaches the arch handler',
  MMAP_REFUSED: 'the mmap handler refuses this mapping, so there is no fault to simulate',
  NOT_BUILT: 'the handler or its insertion API does not exist for this target',
  UNKNOWN: 'the model or the extractor cannot decide the outcome',
};

export function verdictRank(k: VerdictKind): number {
  return VERDICT_ORDER.indexOf(k);
}

export interface Verdict {
  kind: VerdictKind;
  summary: string;
}

export interface ForkAlternative {
  choice: string;
  verdict?: Verdict;
  /** Short description of where that branch goes. */
  path?: string;
  /** Not explored (bound reached). */
  unexplored?: boolean;
}

export interface TraceFork {
  /** Step number where the fork happened. */
  step: number;
  question: string;
  taken: string;
  alternatives: ForkAlternative[];
  source?: TraceSource;
}

export interface SimulationTrace {
  mode: 'trace';
  handler: string;
  /** The vm_operations_struct the fault goes through. */
  table?: string;
  file: string;
  target: string;
  /** All targets of the document (for pickers). */
  targets: string[];
  scenario: Record<string, string>;
  steps: TraceStep[];
  forks: TraceFork[];
  verdict: Verdict;
  /** Other verdicts reachable through forks, most severe first. */
  otherVerdicts: VerdictKind[];
  /** Paths explored (1 + forks taken the other way), and whether the bound cut exploration short. */
  paths: number;
  truncated: boolean;
  text: string;
}

export interface MatrixCell {
  level: string;
  backing: string;
  target: string;
  verdict: VerdictKind;
  summary: string;
  /** Other verdicts behind forks. */
  other: VerdictKind[];
}

export interface SimulationMatrix {
  mode: 'matrix';
  handler: string;
  table?: string;
  file: string;
  targets: string[];
  levels: string[];
  backings: string[];
  scenario: Record<string, string>;
  cells: MatrixCell[];
  text: string;
}
