// Evaluating preprocessor / IS_ENABLED guards per profile, in three-valued logic.
// The GuardExpr shape is shared with the extractor (server/src/common/guardExpr.ts).

import { triAnd, triNot, triOr, type Tri } from './citations';
import { kconfig } from './kconfig';
import type { Profile } from './profiles';

import type { GuardExpr } from '../common/guardExpr';

export type { GuardExpr };

/**
 * Kconfig semantics: `defined(CONFIG_X)`, IS_ENABLED and IS_REACHABLE are true for y (and m);
 * IS_BUILTIN only for y; IS_MODULE only for m. The model never answers 'm' for the MM symbols it knows,
 * so IS_MODULE of a known symbol is false and of an unknown one is unknown. A `defined(X)` of a
 * non-CONFIG_ macro is unknown (it is not a Kconfig symbol).
 */
export function evaluateGuard(expr: GuardExpr, p: Profile): Tri {
  switch (expr.kind) {
    case 'const':
      return expr.value;
    case 'defined':
      if (!expr.symbol.startsWith('CONFIG_')) return 'unknown';
      return symbolTri(p, expr.symbol, 'enabled');
    case 'isEnabled':
      switch (expr.macro) {
        case 'IS_ENABLED':
        case 'IS_REACHABLE':
          return symbolTri(p, expr.symbol, 'enabled');
        case 'IS_BUILTIN':
          return symbolTri(p, expr.symbol, 'builtin');
        case 'IS_MODULE':
          return symbolTri(p, expr.symbol, 'module');
      }
      return 'unknown';
    case 'not':
      return triNot(evaluateGuard(expr.arg, p));
    case 'and':
      return triAnd(...expr.args.map((a) => evaluateGuard(a, p)));
    case 'or':
      return triOr(...expr.args.map((a) => evaluateGuard(a, p)));
    case 'unknown':
      return 'unknown';
  }
}

function symbolTri(p: Profile, symbol: string, test: 'enabled' | 'builtin' | 'module'): Tri {
  const v = kconfig(p, symbol);
  if (v === 'unknown') return 'unknown';
  if (test === 'module') return false;
  return v === 'y';
}
