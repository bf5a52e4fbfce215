// Kernel annotation macros that tree-sitter-c cannot know about. They are replaced by spaces of
// the same length before parsing, so offsets, lines and columns stay exactly those of the user's
// text while `static int __init f(void)` keeps its function name and `ops __maybe_unused = {…}`
// keeps its variable name (measured in ../shared/design/toolchain.md §2: files with real ERROR
// nodes drop from 26 % to 20 %).

const ANNOTATIONS = [
  // address spaces and sparse annotations
  '__user', '__iomem', '__rcu', '__force', '__percpu', '__kernel', '__private', '__bitwise',
  '__must_hold', '__acquires', '__releases',
  // sections
  '__init', '__exit', '__initdata', '__exitdata', '__initconst', '__ref', '__refdata', '__meminit',
  '__devinit', '__devexit', '__cpuinit', '__read_mostly', '__ro_after_init', '__cacheline_aligned',
  '__cacheline_aligned_in_smp', '____cacheline_aligned', '____cacheline_aligned_in_smp', '__initdata_or_module',
  // function attributes
  '__always_inline', '__always_unused', '__maybe_unused', '__must_check', '__used', '__unused', '__cold', '__hot',
  '__noreturn', '__pure', '__weak', '__packed', '__aligned_largest', '__visible', '__noinline', 'noinline',
  '__flatten', '__malloc', '__latent_entropy', '__randomize_layout', '__no_randomize_layout', 'noinstr',
  '__noinstr', '__sched', 'notrace', '__naked', '__deprecated', '__nocfi', '__no_sanitize_address',
  '__no_kcsan', 'asmlinkage', '__attribute_const__', '__printf_like', '__fastpath', '__safe',
  '__cond_acquires', '__kprobes', '__irq_entry', '__softirq_entry', 'fastcall', '__counted_by_ptr',
];

// Annotation macros that take a parenthesised argument list: the name and its balanced
// parentheses are blanked (e.g. `__aligned(8)`, `__printf(2, 3)`, `__section(".x")`).
const CALL_ANNOTATIONS = [
  '__aligned', '__printf', '__scanf', '__section', '__attribute__', '__must_hold', '__acquires',
  '__releases', '__counted_by', '__alloc_size', '__nonstring_array', '__assume_aligned', '__cond_acquires',
];

/** The names above (parsing/incrementalDocument.ts re-blanks only around an edit when none is near it). */
export const CALL_ANNOTATION_NAMES: readonly string[] = CALL_ANNOTATIONS;

const plainPattern = new RegExp(`\\b(?:${ANNOTATIONS.join('|')})\\b(?!\\s*\\()`, 'g');
const callPattern = new RegExp(`\\b(?:${CALL_ANNOTATIONS.join('|')})\\s*\\(`, 'g');

let SPACES = ' '.repeat(64);

/** `text` with the sorted, possibly overlapping ranges blanked (newlines and CRs kept). */
function blankRanges(text: string, ranges: number[]): string {
  const order = [];
  for (let i = 0; i < ranges.length; i += 2) order.push(i);
  order.sort((a, b) => ranges[a]! - ranges[b]!);
  const parts: string[] = [];
  let copied = 0;
  for (const i of order) {
    const from = Math.max(ranges[i]!, copied);
    const to = ranges[i + 1]!;
    if (to <= from) continue;
    if (from > copied) parts.push(text.slice(copied, from));
    const seg = text.slice(from, to);
    if (/[\r\n]/.test(seg)) parts.push(seg.replace(/[^\r\n]/g, ' '));
    else {
      while (SPACES.length < seg.length) SPACES += SPACES;
      parts.push(SPACES.slice(0, seg.length));
    }
    copied = to;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Returns `text` with kernel annotation macros replaced by spaces of the same length. */
export function blankKernelAnnotations(text: string): string {
  if (!text.includes('__') && !text.includes('noinline') && !text.includes('asmlinkage') && !text.includes('notrace') && !text.includes('noinstr') && !text.includes('fastcall')) {
    return text;
  }
  // Ranges first, one string build at the end (splitting a 200 KB text into characters per edit
  // cost ~30 ms in the editor).
  const ranges: number[] = [];
  plainPattern.lastIndex = 0;
  for (let m = plainPattern.exec(text); m; m = plainPattern.exec(text)) ranges.push(m.index, m.index + m[0].length);
  callPattern.lastIndex = 0;
  for (let m = callPattern.exec(text); m; m = callPattern.exec(text)) {
    let depth = 0;
    let end = m.index + m[0].length - 1; // at '('
    const limit = Math.min(text.length, end + 4096);
    for (; end < limit; end++) {
      const c = text.charCodeAt(end);
      if (c === 40) depth++;
      else if (c === 41 && --depth === 0) break;
    }
    if (depth !== 0) continue; // unbalanced: leave it to the parser
    ranges.push(m.index, end + 1);
  }
  return ranges.length > 0 ? blankRanges(text, ranges) : text;
}
