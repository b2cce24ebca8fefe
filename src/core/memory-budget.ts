/**
 * The memory budget (MiB) a command sizes V8's heap for (src/cli/heap-policy.ts): its bounds, and its default when
 * neither --memory-budget nor scan.memoryBudgetMiB names one — 512 MiB when every output streams from disk, else
 * three quarters of the memory the process may use (the container's limit, or the machine's memory), since the
 * formats rendered from the whole result cannot be bounded yet.
 */
export const defaultMemoryBudgetMiB = 512;
export const memoryBudgetLimits = { min: 128, max: 1_048_576 } as const;

/** The default for a command that holds the whole result: 3/4 of `available` bytes, at least the streaming default. */
export function wholeResultBudgetMiB(availableBytes: number): number {
  return Math.min(memoryBudgetLimits.max, Math.max(defaultMemoryBudgetMiB, Math.floor((availableBytes * 0.75) / 1048576)));
}
