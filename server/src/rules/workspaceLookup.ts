// What rules may ask about other files. Implemented by the workspace index in analysis/; rules
// never read files themselves.

import type { FileSymbolSummary } from '../extraction';

export interface WorkspaceLookup {
  /** Summary of the file that defines function `name`, if the index knows one (not the current file). */
  fileDefining(name: string): { file: string; summary: FileSymbolSummary } | undefined;
  /** Every indexed file whose summary names `opsTable` in a `vma->vm_ops = &opsTable` assignment. */
  filesInstallingOps(opsTable: string): { file: string; summary: FileSymbolSummary }[];
}
