// `faultline simulate FILE[:FUNCTION] [--target V/ARCH] [--scenario k=v,...] [--format text|json] [--matrix]`:
// the same simulator as the LSP request (features/simulate). Without :FUNCTION every handler named
// in the file's vm_operations_struct tables is simulated. Exit 0, or 2 with one `faultline: …` line.
import * as fs from 'node:fs';
import { analyzeText } from '../analysis/documentAnalysis';
import { checkText } from '../analysis/inputCheck';
import { findKernelTree } from '../analysis/kernelTree';
import { resolveTargets } from '../analysis/targets';
import { DEFAULT_SETTINGS } from '../analysis/settings';
import { handlersInFile, parseScenarioStrings, simulate } from '../features/simulate';

export interface SimulateCommand {
  spec: string;
  target?: string;
  scenario: string[];
  format: 'text' | 'json';
  matrix: boolean;
}

function splitSpec(spec: string): { file: string; fn?: string } {
  // FILE:FUNCTION, where FUNCTION is a C identifier (Windows drive letters stay part of FILE).
  const m = /^(.*):([A-Za-z_]\w*)$/.exec(spec);
  if (m && m[1] && !fs.existsSync(spec)) return { file: m[1], fn: m[2]! };
  return { file: spec };
}

export function runSimulateCommand(cmd: SimulateCommand, io: { out?: (s: string) => void; err: (s: string) => void }): number {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const fail = (msg: string): number => {
    io.err(`faultline: ${msg}\n`);
    return 2;
  };
  const { file, fn } = splitSpec(cmd.spec);
  const sc = parseScenarioStrings(cmd.scenario);
  if (!sc.ok) return fail(sc.error);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const verdict = checkText(text, DEFAULT_SETTINGS.maxFileSize);
  if (!verdict.ok) return fail(`${file}: ${verdict.reason}`);
  const targets = resolveTargets([], findKernelTree(file));
  const analysis = analyzeText(file, text, { profiles: targets.profiles });
  const handlers = fn ? [fn] : handlersInFile(analysis.facts);
  if (!handlers.length) return fail(`${file}: no fault handler named in a vm_operations_struct (give FILE:FUNCTION)`);
  const values: unknown[] = [];
  const texts: string[] = [];
  for (const h of handlers) {
    const r = simulate({
      facts: analysis.facts,
      file,
      profiles: analysis.profiles,
      handler: h,
      scenario: sc.pairs,
      ...(cmd.target ? { target: cmd.target } : {}),
      mode: cmd.matrix ? 'matrix' : 'trace',
    });
    if (!r.ok) return fail(r.error);
    values.push(r.value);
    texts.push(r.value.text);
  }
  if (cmd.format === 'json') out(JSON.stringify(fn ? values[0] : values, null, 2) + '\n');
  else out(texts.join('\n'));
  return 0;
}
