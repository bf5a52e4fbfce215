// Fact types produced by the extractor. Facts say what the C text says (names, expressions,
// positions, preprocessor guards), never what the kernel does with it: the model and the rules
// interpret them. Whenever the extractor cannot tell, it says `unknown` (with a reason) or leaves
// an optional field out; it never guesses.
//
// Positions: 0-based line, UTF-16 character (see ../common/text.ts).

import type { GuardExpr } from '../common/guardExpr';
import type { Range } from '../common/text';

export type { GuardExpr, Range };

/** Everything extracted from one file. */
export interface FileFacts {
  file?: string;
  functions: FunctionFact[];
  vmOpsTables: OpsTable[];
  fileOperationsTables: OpsTable[];
  /** Other struct initializers that set an `.mmap`-style member (drm, dma-buf, fb …). */
  otherMmapTables: OpsTable[];
  vmOpsAssignments: OpsAssignment[];
  mmapHandlers: MmapHandler[];
  insertionSites: InsertionSite[];
  /** Functions of this file that call an insertion API passing one of their own parameters. */
  wrappers: WrapperFact[];
  /** Simple object-like `#define NAME value` (last definition wins). */
  defines: Record<string, DefineFact>;
  /** Internal failures (extraction continued with partial facts). */
  problems: string[];
}

export interface DefineFact {
  name: string;
  text: string;
  /** The value read as `A | B | …` (after resolving other defines); null when it is not a flag set. */
  flags: string[] | null;
  range: Range;
  guard: GuardExpr;
}

export interface ParamFact {
  type: string;
  name: string;
  range: Range;
}

export interface ArgFact {
  text: string;
  range: Range;
}

export interface CallFact {
  callee: string;
  range: Range;
  calleeRange: Range;
  args: ArgFact[];
}

export interface FunctionFact {
  name: string;
  range: Range;
  nameRange: Range;
  returnType: string;
  params: ParamFact[];
  isStatic: boolean;
  /**
   * Calls made. For functions analysed in detail (`detailed`) they come from the syntax tree;
   * for the others from a comment- and string-aware token scan of the body (callee names and
   * ranges are exact, argument splitting is by top-level commas).
   */
  calls: CallFact[];
  callsSource: 'tree' | 'text';
  guard: GuardExpr;
  /** The definition (or its name) was recovered from inside an ERROR node. */
  insideError: boolean;
  /** Whether the body was walked in detail (insertions, flags, control flow). */
  detailed: boolean;
  /** Control-flow summary for the simulator (detailed functions only). */
  body?: Stmt[];
}

// ---------------------------------------------------------------------------------------------
// ops tables

export interface OpsMember {
  field: string;
  /** The identifier when the value is a plain name (or `&name`), otherwise undefined. */
  value?: string;
  valueText: string;
  range: Range;
  valueRange: Range;
  guard: GuardExpr;
  /** For arrays of ops: the element designator (`[2]`) or index (`0`). */
  element?: string;
  /** The member was read from a broken `#ifdef`-inside-initializer shape. */
  recovered?: boolean;
}

export interface OpsTable {
  name: string;
  /** `vm_operations_struct`, `file_operations`, … */
  struct: string;
  isArray: boolean;
  isConst: boolean;
  isStatic: boolean;
  range: Range;
  nameRange: Range;
  guard: GuardExpr;
  members: OpsMember[];
}

export interface OpsAssignment {
  /** `huge_fault`, `fault`, …, or `vm_ops` for `vma->vm_ops = &x`. */
  field: string;
  /** Text left of `->`/`.` (e.g. `vma`, `ops`, `&my_ops`). */
  target: string;
  value?: string;
  valueText: string;
  /** `&x` was written (for vm_ops). */
  addressOf: boolean;
  range: Range;
  valueRange: Range;
  enclosingFunction?: string;
  guard: GuardExpr;
}

// ---------------------------------------------------------------------------------------------
// mmap handlers

export type FlagOp = 'set' | 'clear' | 'assign' | 'mod-set' | 'mod-clear';

export interface FlagEffect {
  op: FlagOp;
  /** Flag names, resolved through simple `#define`s and local constants. */
  flags: string[];
  /** Operand pieces that could not be resolved to flag names. */
  unresolved: string[];
  /** `vm_flags_set`, `vm_flags_mod`, `|=`, `remap_pfn_range`, … */
  via: string;
  range: Range;
  guard: GuardExpr;
  /** Function that contains the effect (the handler itself or a same-file helper it calls). */
  inFunction: string;
}

export interface CowRejection {
  kind: 'is_cow_mapping' | 'requires-shared' | 'clears-maywrite';
  text: string;
  range: Range;
  inFunction: string;
}

export interface MmapHandler {
  name: string;
  range: Range;
  nameRange: Range;
  installs: { table: string; range: Range; guard: GuardExpr }[];
  flagEffects: FlagEffect[];
  cowRejections: CowRejection[];
  fileOperations: string[];
  /** Other tables (non file_operations) whose `.mmap`-like member points at it. */
  otherTables: string[];
  guard: GuardExpr;
}

// ---------------------------------------------------------------------------------------------
// insertion sites

export type PfnBaseSource =
  | 'page_to_pfn' | 'folio_pfn' | 'PHYS_PFN' | 'phys_to_pfn' | 'PFN_DOWN' | 'vmf->pgoff'
  | 'parameter' | 'integer' | 'call' | 'unknown';

export interface PfnBase {
  source: PfnBaseSource;
  text: string;
  /** For 'parameter': index of the parameter in the enclosing function. */
  paramIndex?: number;
  /** For 'call': callee name. */
  callee?: string;
}

export interface ViaStep {
  variable: string;
  text: string;
  range: Range;
}

export type PfnProvenance =
  | { kind: 'pfn_t'; constructor: string; flags: string[] | null; flagsText: string; base: PfnBase; range: Range; via?: ViaStep[]; paramIndex?: number }
  | { kind: 'raw'; base: PfnBase; range: Range; via?: ViaStep[] }
  | { kind: 'folio'; expr: string; range: Range; via?: ViaStep[] }
  | { kind: 'page'; expr: string; range: Range; via?: ViaStep[] }
  | { kind: 'unknown'; text: string; reason: string; range: Range; via?: ViaStep[]; paramIndex?: number };

export interface AlignmentFact {
  kind: 'mask' | 'check';
  text: string;
  range: Range;
}

export interface InsertionSite {
  /** Callee as written. */
  api: string;
  /** `pmd` | `pud` | `pte` | `range` for known APIs; for wrappers the level of the wrapped API. */
  level: 'pmd' | 'pud' | 'pte' | 'range' | 'unknown';
  isWrapperCall: boolean;
  range: Range;
  calleeRange: Range;
  enclosingFunction?: string;
  guard: GuardExpr;
  args: ArgFact[];
  pfn: PfnProvenance;
  writeArg?: string;
  result: 'returned' | 'assigned' | 'ignored' | 'compared' | 'other';
  resultVariable?: string;
  /** When assigned: whether the variable is later returned / tested. */
  resultReturned?: boolean;
  resultTested?: boolean;
  dominators: PathCondition[];
  alignment: AlignmentFact[];
  insideError: boolean;
}

export interface WrapperFact {
  name: string;
  /** The API (or other wrapper) it calls. */
  calls: string;
  level: InsertionSite['level'];
  /** Index of the wrapper's parameter passed as pfn/folio/page. */
  pfnParam: number;
  site: number;
}

// ---------------------------------------------------------------------------------------------
// control flow

export type ConditionFamily = 'pfn-alignment' | 'range-containment' | 'size-dispatch' | 'contiguity' | 'other';

export interface CondFact {
  text: string;
  range: Range;
  family: ConditionFamily;
  /** Every family the condition mentions (a combined check can be several). */
  families: ConditionFamily[];
  /** For conditions made of IS_ENABLED()/IS_BUILTIN()…: the guard when the condition holds. */
  guard?: GuardExpr;
}

export type ReturnValue =
  | { kind: 'constant'; name: string; text: string }
  | { kind: 'insertion-result'; site: number }
  | { kind: 'variable'; name: string }
  | { kind: 'call'; callee: string; text: string }
  | { kind: 'expression'; text: string }
  | { kind: 'none' };

export type ExitFact =
  | { kind: 'return'; value: ReturnValue; range: Range }
  | { kind: 'goto'; label: string; resolved?: ExitFact; range: Range };

export interface PathCondition extends CondFact {
  /** true/false for `if`; the case labels (`'default'`) for a switch; false for loops exited. */
  reachedWhen: boolean | string;
  /** For early exits dominating the site: what the other branch does. */
  otherExit?: ExitFact;
}

export type Stmt =
  | { kind: 'if'; cond: CondFact; then: Stmt[]; else: Stmt[]; range: Range; guard?: GuardExpr }
  | { kind: 'switch'; discriminant: string; family: ConditionFamily; cases: { labels: string[]; body: Stmt[]; range: Range; guard?: GuardExpr }[]; range: Range; guard?: GuardExpr }
  | { kind: 'return'; value: ReturnValue; range: Range; guard?: GuardExpr }
  | { kind: 'goto'; label: string; range: Range; guard?: GuardExpr }
  | { kind: 'label'; name: string; range: Range; guard?: GuardExpr }
  | { kind: 'insert'; site: number; assignedTo?: string; range: Range; guard?: GuardExpr }
  | { kind: 'call'; callee: string; args: string[]; assignedTo?: string; range: Range; guard?: GuardExpr }
  | { kind: 'assign'; target: string; op: string; value: string; range: Range; guard?: GuardExpr }
  | { kind: 'loop'; cond?: CondFact; body: Stmt[]; range: Range; guard?: GuardExpr }
  | { kind: 'break' | 'continue'; range: Range; guard?: GuardExpr }
  | { kind: 'opaque'; text: string; range: Range; guard?: GuardExpr };

// ---------------------------------------------------------------------------------------------
// workspace index

export interface FunctionSummary {
  name: string;
  file?: string;
  isStatic: boolean;
  nameRange: Range;
  callees: string[];
  /** Insertion sites made directly in this function. */
  sites: { api: string; level: InsertionSite['level']; range: Range; pfnKind: PfnProvenance['kind']; pfnParam?: number }[];
  /** Set when the function is an insertion wrapper: which parameter carries the pfn. */
  wrapper?: { pfnParam: number; level: InsertionSite['level']; api: string };
  flagEffects?: FlagEffect[];
}

export interface FileSymbolSummary {
  file?: string;
  /** Every function defined in the file (first definition of a name). */
  functions: FunctionSummary[];
  opsTables: { name: string; struct: string; members: { field: string; value?: string }[] }[];
  /** Tables named in `vma->vm_ops = &table` assignments in this file. */
  installedOps: string[];
  mmapHandlers: { name: string; installs: string[]; fileOperations: string[]; flagEffects: FlagEffect[]; cowRejections: CowRejection[] }[];
  fileOperations: { name: string; mmap?: string }[];
}

/** @deprecated alias of FileSymbolSummary */
export type FileSummary = FileSymbolSummary;

export interface ChainStep {
  function: string;
  file?: string;
  /** Range of the call to the next step (in `file`). */
  callRange?: Range;
}

export interface HandlerChain {
  table: string;
  field: string;
  handler: string;
  /** Handler first, the function containing the site last. */
  steps: ChainStep[];
  site: { api: string; level: InsertionSite['level']; range: Range; file?: string; index?: number };
}
