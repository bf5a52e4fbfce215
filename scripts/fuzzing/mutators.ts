// Mutators for the robustness fuzzer (docs/robustness.md): each takes a C source and returns a
// damaged one. Small mutators model what editors and kernel trees really contain (half-typed
// code, unbalanced braces and #if, binary junk, broken encodings, odd line endings); "huge"
// generators model the extremes (20 MB files, 10k-deep nesting, 100k-line functions).

import type { Rng } from './prng';

export type TokenKind = 'comment' | 'string' | 'char' | 'directive' | 'identifier' | 'number' | 'bracket' | 'operator' | 'space' | 'other';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

const TOKEN_RE =
  /(\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"?)|('(?:[^'\\\n]|\\.)*'?)|(^[ \t]*#[ \t]*\w*)|([A-Za-z_]\w*)|(\d[\w.]*)|([{}()[\];,])|([-+*/%&|^!~<>=?:.]+)|(\s+)|([\s\S])/gmy;
const KINDS: TokenKind[] = ['comment', 'string', 'char', 'directive', 'identifier', 'number', 'bracket', 'operator', 'space', 'other'];

/** A rough C tokenizer: good enough to cut "at every token kind". */
export function tokenize(text: string, limit = 200_000): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m && out.length < limit; m = TOKEN_RE.exec(text)) {
    if (m[0].length === 0) {
      TOKEN_RE.lastIndex++;
      continue;
    }
    let kind: TokenKind = 'other';
    for (let g = 1; g <= KINDS.length; g++) if (m[g] !== undefined) {
      kind = KINDS[g - 1]!;
      break;
    }
    out.push({ kind, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface Mutator {
  name: string;
  apply(text: string, rng: Rng, corpus: readonly string[]): string;
}

function insertAt(text: string, at: number, s: string): string {
  return text.slice(0, at) + s + text.slice(at);
}

function bytesMutation(text: string, f: (buf: Buffer) => Buffer): string {
  // Through UTF-8 bytes and back, the way a file on disk reaches the CLI or an editor: invalid
  // sequences become U+FFFD.
  return f(Buffer.from(text, 'utf8')).toString('utf8');
}

function positionsOf(text: string, re: RegExp): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(re)) out.push(m.index);
  return out;
}

const SNIPPETS = [
  'vmf_insert_pfn_pmd(vmf, pfn, write)', 'vmf_insert_pfn_pud(', 'return VM_FAULT_FALLBACK;', 'return VM_FAULT_SIGBUS;',
  '.huge_fault = ', 'static const struct vm_operations_struct ops = {', 'vma->vm_ops = &', 'vm_flags_set(vma, VM_PFNMAP | VM_MIXEDMAP);',
  '#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP\n', '#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)\n', '#else\n', '#endif\n', '#elif 0\n',
  'if (IS_ENABLED(CONFIG_X86_64)) {', '__pfn_to_pfn_t(pfn, PFN_DEV | PFN_MAP)', 'enum page_entry_size pe_size', 'unsigned int order',
  '__init', '__attribute__((', 'asm volatile("" ::: "memory");', 'goto out;', 'out:', 'switch (order) { case PMD_ORDER:', 'default:',
  'do { } while (0)', '\\\n', '/*', '*/', '//', '"', "'", 'L"', '??/', '#define X(a) a##a\n', '#include <linux/mm.h>\n',
  'struct vm_fault *vmf', '(vmf->address & ~PMD_MASK)', 'pfn_t', 'phys_to_pfn_t(', 'folio_pfn(folio)', 'page_to_pfn(page)',
  'list_for_each_entry(p, &head, node) {', '{', '}', '(', ')', ';', ',', '[', ']', '\u00e9', '\u{1F600}', '\u200b', '\ufeff',
];

export const MUTATORS: readonly Mutator[] = [
  {
    name: 'bit-flip',
    apply: (text, rng) => bytesMutation(text, (b) => {
      const n = rng.range(1, 8);
      for (let i = 0; i < n && b.length; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return b;
    }),
  },
  {
    name: 'random-bytes',
    apply: (text, rng) => bytesMutation(text, (b) => {
      const junk = Buffer.alloc(rng.range(1, 64));
      for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
      const at = rng.int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]);
    }),
  },
  {
    name: 'invalid-utf8',
    apply: (text, rng) => bytesMutation(text, (b) => {
      const seqs = [[0xff], [0xfe, 0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x80, 0x80]];
      const parts: Buffer[] = [];
      let last = 0;
      const cuts = Array.from({ length: rng.range(1, 6) }, () => rng.int(b.length + 1)).sort((x, y) => x - y);
      for (const c of cuts) {
        parts.push(b.subarray(last, c), Buffer.from(rng.pick(seqs)));
        last = c;
      }
      parts.push(b.subarray(last));
      return Buffer.concat(parts);
    }),
  },
  {
    name: 'lone-surrogate',
    apply: (text, rng) => insertAt(text, rng.int(text.length + 1), rng.pick(['\ud800', '\udfff', '\ud83d', 'x\udc00y'])),
  },
  {
    name: 'nul-bytes',
    apply: (text, rng) => {
      let t = text;
      for (let i = rng.range(1, 4); i > 0; i--) t = insertAt(t, rng.int(t.length + 1), '\u0000'.repeat(rng.range(1, 3)));
      return t;
    },
  },
  {
    name: 'truncate-at-token',
    apply: (text, rng) => {
      const toks = tokenize(text);
      if (!toks.length) return text.slice(0, rng.int(text.length + 1));
      const kinds = [...new Set(toks.map((t) => t.kind))];
      const kind = rng.pick(kinds);
      const tok = rng.pick(toks.filter((t) => t.kind === kind));
      const cut = rng.pick([tok.start, tok.end, tok.start + Math.max(1, (tok.end - tok.start) >> 1)]);
      return text.slice(0, Math.min(cut, text.length));
    },
  },
  {
    name: 'delete-token',
    apply: (text, rng) => {
      const toks = tokenize(text).filter((t) => t.kind !== 'space');
      if (!toks.length) return text;
      const t = rng.pick(toks);
      return text.slice(0, t.start) + text.slice(t.end);
    },
  },
  {
    name: 'duplicate-token',
    apply: (text, rng) => {
      const toks = tokenize(text).filter((t) => t.kind !== 'space');
      if (!toks.length) return text;
      const t = rng.pick(toks);
      return insertAt(text, t.end, text.slice(t.start, t.end).repeat(rng.range(1, 3)));
    },
  },
  {
    name: 'delete-brace',
    apply: (text, rng) => {
      const at = positionsOf(text, /[{}()[\]]/g);
      if (!at.length) return text;
      let t = text;
      const picks = Array.from({ length: rng.range(1, 3) }, () => rng.pick(at)).sort((a, b) => b - a);
      for (const p of new Set(picks)) t = t.slice(0, p) + t.slice(p + 1);
      return t;
    },
  },
  {
    name: 'duplicate-brace',
    apply: (text, rng) => {
      const at = positionsOf(text, /[{}()]/g);
      if (!at.length) return insertAt(text, rng.int(text.length + 1), '{');
      const p = rng.pick(at);
      return insertAt(text, p, text[p]!.repeat(rng.range(1, 5)));
    },
  },
  {
    name: 'endif-surgery',
    apply: (text, rng) => {
      const dirs = positionsOf(text, /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b[^\n]*\n?/gm);
      const op = rng.int(4);
      if (op === 0 || !dirs.length) return insertAt(text, lineStart(text, rng.int(text.length + 1)), rng.pick(['#if 0\n', '#ifdef CONFIG_X\n', '#endif\n', '#else\n', '#elif 1\n']));
      const p = rng.pick(dirs);
      const end = text.indexOf('\n', p);
      const line = text.slice(p, end === -1 ? text.length : end + 1);
      if (op === 1) return text.slice(0, p) + text.slice(p + line.length); // delete
      if (op === 2) return insertAt(text, p, line.endsWith('\n') ? line : line + '\n'); // duplicate
      return insertAt(text, lineStart(text, rng.int(text.length + 1)), line.endsWith('\n') ? line : line + '\n'); // move a copy
    },
  },
  {
    name: 'splice',
    apply: (text, rng, corpus) => {
      const other = corpus.length ? rng.pick(corpus) : text;
      return text.slice(0, rng.int(text.length + 1)) + other.slice(rng.int(other.length + 1));
    },
  },
  {
    name: 'line-surgery',
    apply: (text, rng) => {
      const lines = text.split('\n');
      const a = rng.int(lines.length);
      const n = rng.range(1, Math.min(20, lines.length));
      const op = rng.int(3);
      if (op === 0) lines.splice(a, n);
      else if (op === 1) lines.splice(a, 0, ...lines.slice(a, a + n));
      else {
        const b = rng.int(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      }
      return lines.join('\n');
    },
  },
  {
    name: 'insert-snippet',
    apply: (text, rng) => {
      let t = text;
      for (let i = rng.range(1, 4); i > 0; i--) t = insertAt(t, rng.int(t.length + 1), rng.pick(SNIPPETS));
      return t;
    },
  },
  {
    name: 'line-endings',
    apply: (text, rng) => {
      const op = rng.int(4);
      if (op === 0) return text.replace(/\n/g, '\r\n');
      if (op === 1) return text.replace(/\n/g, '\r');
      if (op === 2) return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r', '\n\r', '\u2028', '\f\n']));
      return '\ufeff' + text;
    },
  },
  {
    name: 'wide-chars',
    apply: (text, rng) => {
      const toks = tokenize(text).filter((t) => t.kind === 'identifier' || t.kind === 'comment' || t.kind === 'string');
      const at = toks.length ? rng.pick(toks).start + 1 : rng.int(text.length + 1);
      return insertAt(text, Math.min(at, text.length), rng.pick(['\u{1F600}', '\u00e9', 'e\u0301', '\u4e2d\u6587', '\u{10FFFF}', '\t\t\t']));
    },
  },
];

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Generators for the extremes; each yields a whole new input from a seed text. */
export const HUGE: readonly Mutator[] = [
  {
    name: 'huge-20mb',
    apply: (text) => {
      const unit = text.length ? text + '\n' : 'int x;\n';
      return unit.repeat(Math.ceil((20 * 1024 * 1024) / unit.length));
    },
  },
  {
    name: 'deep-nesting-10k',
    apply: (text, rng) => {
      const depth = 10_000;
      const kind = rng.int(5);
      const call = 'return vmf_insert_pfn_pmd(vmf, pfn, true);';
      let body: string;
      if (kind === 0) body = `static vm_fault_t h(struct vm_fault *vmf) {${'{'.repeat(depth)}${call}${'}'.repeat(depth)}}`;
      else if (kind === 1) body = `static vm_fault_t h(struct vm_fault *vmf) { return ${'('.repeat(depth)}vmf_insert_pfn_pmd(vmf, pfn, true)${')'.repeat(depth)}; }`;
      else if (kind === 2) body = `static vm_fault_t h(struct vm_fault *vmf) {${'if (x) {'.repeat(depth)}${call}${'}'.repeat(depth)}}`;
      else if (kind === 3) body = `${'#ifdef CONFIG_A\n'.repeat(depth)}static vm_fault_t h(struct vm_fault *vmf) { ${call} }\n${'#endif\n'.repeat(depth)}`;
      else body = `static int t[] = ${'{'.repeat(depth)}1${'}'.repeat(depth)};\n`;
      return `${text}\n${body}\nstatic const struct vm_operations_struct deep_ops = { .huge_fault = h };\n`;
    },
  },
  {
    name: 'function-100k-lines',
    apply: (_text, rng) => {
      const lines = ['static vm_fault_t h(struct vm_fault *vmf, unsigned int order)', '{'];
      const every = rng.pick([10, 100, 1000]);
      for (let i = 0; i < 100_000; i++) lines.push(i % every === 0 ? `\tif (x${i % 7}) return vmf_insert_pfn_pmd(vmf, pfn + ${i}, true);` : `\tx${i % 7} = x${(i + 1) % 7} + ${i};`);
      lines.push('\treturn VM_FAULT_FALLBACK;', '}', 'static const struct vm_operations_struct long_ops = { .huge_fault = h };');
      return lines.join('\n');
    },
  },
  {
    name: 'long-line-1mb',
    apply: (text) => text + '\nstatic int x = ' + '1 + '.repeat(262_144) + '1;\n',
  },
];
