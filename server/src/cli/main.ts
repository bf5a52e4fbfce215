// `faultline` command line: `check` for CI and pre-commit, `simulate` for a trace in the
// terminal. Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or
// I/O errors (one line on stderr).

import * as path from 'node:path';
import { analyzePaths } from '../analysis/batch';
import { DEFAULT_SETTINGS } from '../analysis/settings';
import { projectRoot, projectVersion } from '../common/projectRoot';
import { parseProfile, type Profile } from '../model';
import type { Severity, SeveritySetting } from '../rules/types';
import { formatJson, formatSarif, formatText } from './formatters';
import { runSimulateCommand } from './simulateCommand';

export class UsageError extends Error {}

const USAGE = `Usage:
  faultline check [--target V/ARCH]... [--format text|json|sarif] [--fail-on error|warning|info|never]
                  [--rule FLxxx=off|info|warning|error]... [--max-file-size BYTES] PATHS...
  faultline simulate FILE[:FUNCTION] [--target V/ARCH] [--scenario key=value,...] [--format text|json] [--matrix]
  faultline --version | --help

Targets look like 6.12/x86_64, 5.15/arm64, 6.1/riscv64. Without --target, each file is checked
under its kernel tree's version (Makefile) and arch (.config), else the newest known version on
x86_64 and arm64.`;

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

interface Parsed {
  positional: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

function parseArgs(argv: readonly string[], withValue: ReadonlySet<string>, flagNames: ReadonlySet<string>): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (flagNames.has(name)) {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        flags.add(name);
        continue;
      }
      if (!withValue.has(name)) throw new UsageError(`unknown option --${name}`);
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      options.set(name, [...(options.get(name) ?? []), value]);
      continue;
    }
    positional.push(arg);
  }
  return { positional, options, flags };
}

function one(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  if (v && v.length > 1) throw new UsageError(`--${name} given more than once`);
  return v?.[0];
}

export function parseTargets(values: readonly string[]): Profile[] {
  return values.map((v) => {
    const r = parseProfile(v);
    if (!r.ok) throw new UsageError(`--target ${v}: ${r.error}`);
    return r.profile;
  });
}

function parseRuleSettings(values: readonly string[]): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const v of values) {
    const m = /^(FL\d{3})=(off|hint|info|warning|error)$/.exec(v);
    if (!m) throw new UsageError(`--rule ${v}: expected FLxxx=off|info|warning|error`);
    out[m[1]!] = m[2] as SeveritySetting;
  }
  return out;
}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export function runCheck(argv: readonly string[], io: Io): number {
  const p = parseArgs(argv, new Set(['target', 'format', 'fail-on', 'rule', 'max-file-size']), new Set(['quiet']));
  const format = one(p, 'format') ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format ${format}: expected text, json or sarif`);
  const failOn = one(p, 'fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'never'].includes(failOn)) throw new UsageError(`--fail-on ${failOn}: expected error, warning, info or never`);
  const targets = parseTargets(p.options.get('target') ?? []);
  const severities = parseRuleSettings(p.options.get('rule') ?? []);
  let maxFileSize = DEFAULT_SETTINGS.maxFileSize;
  const mfs = one(p, 'max-file-size');
  if (mfs !== undefined) {
    maxFileSize = Number(mfs);
    if (!Number.isInteger(maxFileSize) || maxFileSize <= 0) throw new UsageError(`--max-file-size ${mfs}: expected a positive number of bytes`);
  }
  if (p.positional.length === 0) throw new UsageError('check needs at least one file or directory');

  const batch = analyzePaths(p.positional, { targets, severities, maxFileSize });
  if (batch.missing.length > 0) {
    io.err(`faultline: ${batch.missing[0]}: no such file or directory\n`);
    return 2;
  }
  for (const problem of batch.problems) io.err(`faultline: ${problem}\n`);
  for (const r of batch.results) if (r.skipped && !p.flags.has('quiet')) io.err(`faultline: ${r.file}: skipped: ${r.skipped}\n`);
  const withFindings = batch.results.filter((r) => r.findings.length > 0);
  if (format === 'json') io.out(formatJson(withFindings));
  else if (format === 'sarif') io.out(formatSarif(withFindings, path.join(projectRoot(), 'docs', 'rules')));
  else io.out(formatText(withFindings));

  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  const failing = withFindings.some((r) => r.findings.some((f) => SEVERITY_RANK[f.severity] >= threshold));
  return failing ? 1 : 0;
}

export function main(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new UsageError('no command given (expected check or simulate; see faultline --help)');
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      case '--version':
      case '-v':
        io.out(`faultline ${projectVersion()}\n`);
        return 0;
      case 'check':
        return runCheck(rest, io);
      case 'simulate': {
        const p = parseArgs(rest, new Set(['target', 'scenario', 'format']), new Set(['matrix']));
        const format = one(p, 'format') ?? 'text';
        if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format}: expected text or json`);
        if (p.positional.length !== 1) throw new UsageError('simulate needs exactly one FILE[:FUNCTION]');
        const target = one(p, 'target');
        return runSimulateCommand(
          { spec: p.positional[0]!, format, matrix: p.flags.has('matrix'), scenario: p.options.get('scenario') ?? [], ...(target !== undefined ? { target } : {}) },
          io,
        );
      }
      default:
        throw new UsageError(`unknown command "${command}" (expected check or simulate; see faultline --help)`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`faultline: ${err.message}\n`);
      return 2;
    }
    // One line, like every other exit-2 message; the stack only on request.
    const detail = process.env['FAULTLINE_DEBUG'] ? ((err as Error).stack ?? String(err)) : `${(err as Error).message ?? String(err)}`.split('\n')[0];
    io.err(`faultline: internal error: ${detail}${process.env['FAULTLINE_DEBUG'] ? '' : ' (FAULTLINE_DEBUG=1 shows the stack)'}\n`);
    return 2;
  }
}

