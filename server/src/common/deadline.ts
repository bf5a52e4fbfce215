// A time budget for one analysis (anchors.md §B.7 item 5, `faultline.analysisTimeBudgetMs`).
// The pipeline's loops call `expired()` between items (functions, insertion sites, rule ×
// profile); once it is past, they stop and the analysis is reported as partial. Checking is a
// clock read, so it is cheap enough to do per item. Plain TypeScript: every layer may use it.

export class Deadline {
  private readonly at: number;
  private hit = false;
  /** Where the budget ran out first (for the note shown to the user). */
  stage: string | undefined;

  constructor(readonly budgetMs: number) {
    this.at = Number.isFinite(budgetMs) && budgetMs > 0 ? performance.now() + budgetMs : Number.POSITIVE_INFINITY;
  }

  /** True once the budget is spent; `stage` names the step that noticed it first. */
  expired(stage?: string): boolean {
    if (this.hit) return true;
    if (performance.now() < this.at) return false;
    this.hit = true;
    this.stage = stage;
    return true;
  }

  /** Whether any check has seen the budget spent (does not read the clock). */
  get exceeded(): boolean {
    return this.hit;
  }

  /** Milliseconds left (0 when spent, Infinity without a budget). */
  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }

  /** Marks the budget as spent (a parse that timed out). */
  markExceeded(stage: string): void {
    if (!this.hit) this.stage = stage;
    this.hit = true;
  }

  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }
}
