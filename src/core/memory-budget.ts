/** The memory budget (MiB) a command sizes V8's heap for (src/cli/heap-policy.ts): its default and its bounds. */
export const defaultMemoryBudgetMiB = 512;
export const memoryBudgetLimits = { min: 128, max: 1_048_576 } as const;
