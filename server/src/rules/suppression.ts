// `/* faultline-disable-next-line FL005 [reason] */` or `// faultline-disable-next-line FL001,FL002 reason`
// silences those rules on the next line. Without rule ids it silences every rule there.

const DIRECTIVE = /faultline-disable-next-line\b([^\n*]*)/g;

/** Map from the 0-based line that is silenced to the rule ids silenced there ('*' = all). */
export function suppressedLines(text: string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  if (!text.includes('faultline-disable')) return out;
  DIRECTIVE.lastIndex = 0;
  let line = 0;
  let counted = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    const ids = (m[1] ?? '').match(/FL\d{3}/g);
    const set = out.get(line + 1) ?? new Set<string>();
    if (ids && ids.length > 0) ids.forEach((id) => set.add(id));
    else set.add('*');
    out.set(line + 1, set);
  }
  return out;
}
