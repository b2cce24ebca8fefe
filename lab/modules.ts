/** The lab's provider modules. Each lives in its own folder and knows its cloud's wire protocol. */
import { awsLab } from './aws/index.ts';
import { azureLab } from './azure/index.ts';
import type { LabProvider } from './core.ts';
import { gcpLab } from './gcp/index.ts';
import type { LabModuleFactory } from './module.ts';

export type { LabModuleFactory } from './module.ts';

export const labModules: Record<LabProvider, LabModuleFactory> = { aws: awsLab, azure: azureLab, gcp: gcpLab };
