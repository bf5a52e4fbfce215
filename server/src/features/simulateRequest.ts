// `faultline/simulate` for the language server (and `workspace/executeCommand
// faultline.server.simulate`): one call into the simulator (features/simulate), the same one the
// CLI makes, so traces are identical across VS Code, other LSP clients and the terminal.
import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { SimulateParams } from '../protocol/customMessages';
import type { WorkspaceLookup } from '../rules/workspaceLookup';
import { simulate } from './simulate';

export type SimulationResponse = { ok: true; value: unknown } | { ok: false; error: string };

export function runSimulation(analysis: DocumentAnalysis, _text: string, params: SimulateParams, workspace: WorkspaceLookup): SimulationResponse {
  if (params.scenario !== undefined && (typeof params.scenario !== 'object' || params.scenario === null || Array.isArray(params.scenario))) {
    return { ok: false, error: 'scenario must be an object of key → value strings' };
  }
  if (params.mode !== undefined && params.mode !== 'trace' && params.mode !== 'matrix') return { ok: false, error: `mode ${String(params.mode)}: expected trace or matrix` };
  const scenario: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.scenario ?? {})) scenario[k] = String(v);
  const r = simulate({
    facts: analysis.facts,
    file: analysis.file,
    uri: params.textDocument.uri,
    profiles: analysis.profiles,
    ...(params.handler ? { handler: params.handler } : {}),
    ...(params.position ? { position: params.position } : {}),
    scenario,
    ...(params.target ? { target: params.target } : {}),
    ...(params.mode ? { mode: params.mode } : {}),
    workspace,
  });
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}
