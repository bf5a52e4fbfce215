// `faultline/simulate` for the language server: owned by the simulator (features/simulate).
import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { SimulateParams } from '../protocol/customMessages';
import type { WorkspaceLookup } from '../rules/workspaceLookup';

export type SimulationResponse = { ok: true; value: unknown } | { ok: false; error: string };

export function runSimulation(_analysis: DocumentAnalysis, _text: string, _params: SimulateParams, _workspace: WorkspaceLookup): SimulationResponse {
  return { ok: false, error: 'simulation is not built yet' };
}
