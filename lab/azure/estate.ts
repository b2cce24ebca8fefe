/** The azure section of an estate. Placeholder until the azure provider lands. */
import { z } from 'zod';

export const AzureEstate = z.looseObject({});
export type AzureEstate = z.infer<typeof AzureEstate>;
