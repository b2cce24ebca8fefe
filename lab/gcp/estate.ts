/** The gcp section of an estate. Placeholder until the gcp provider lands. */
import { z } from 'zod';

export const GcpEstate = z.looseObject({});
export type GcpEstate = z.infer<typeof GcpEstate>;
