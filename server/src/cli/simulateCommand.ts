// `faultline simulate FILE[:FUNCTION]`: owned by the simulator (features/simulate).
export interface SimulateCommand {
  spec: string;
  target?: string;
  scenario: string[];
  format: 'text' | 'json';
  matrix: boolean;
}

export function runSimulateCommand(_cmd: SimulateCommand, io: { err: (s: string) => void }): number {
  io.err('faultline: simulate is not built yet\n');
  return 2;
}
