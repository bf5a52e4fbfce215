// A preprocessor / IS_ENABLED condition as written in the source, in a form that can be
// evaluated per target profile. The extractor builds these from `#if`, `#ifdef`, `#elif`,
// `#else`, `defined()`, `IS_ENABLED()` and `if (IS_ENABLED(...))`; the model evaluates them.
// Symbols are kept as written (usually with the CONFIG_ prefix).

export type GuardExpr =
  | { kind: 'const'; value: boolean }
  | { kind: 'defined'; symbol: string }
  | { kind: 'isEnabled'; macro: 'IS_ENABLED' | 'IS_BUILTIN' | 'IS_MODULE' | 'IS_REACHABLE'; symbol: string }
  | { kind: 'not'; arg: GuardExpr }
  | { kind: 'and'; args: GuardExpr[] }
  | { kind: 'or'; args: GuardExpr[] }
  | { kind: 'unknown'; text: string };

export const ALWAYS: GuardExpr = { kind: 'const', value: true };
