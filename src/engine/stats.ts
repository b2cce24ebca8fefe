/** Live counters for one scan: the progress display polls them and the result carries them. */
export class ScanStats {
  apiCalls = 0;
  throttles = 0;
  retries = 0;
  errors = 0;
  scopesTotal = 0;
  scopesDone = 0;
  readonly operations = new Map<string, number>();

  countCall(operation: string): void {
    this.apiCalls++;
    this.operations.set(operation, (this.operations.get(operation) ?? 0) + 1);
  }

  operationsRecord(): Record<string, number> {
    return Object.fromEntries([...this.operations.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
