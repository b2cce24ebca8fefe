/** What a check needs collected. Adapters skip whole API families nobody asked for. */
export type Need = 'logging' | 'alerting' | 'guards' | 'principals' | 'snapshots';
export const allNeeds: readonly Need[] = ['logging', 'alerting', 'guards', 'principals', 'snapshots'];
