/** The lab's provider modules. Each lives in its own folder and knows its cloud's wire protocol. */
import type { LabProvider, ProviderLab, ProviderLabContext } from './core.ts';
import type { Estate } from './estate.ts';
import { awsLab } from './aws/index.ts';
import { azureLab } from './azure/index.ts';
import { gcpLab } from './gcp/index.ts';

export interface LabModuleFactory {
  readonly tls: boolean;
  create(estate: Estate, ctx: ProviderLabContext): ProviderLab;
}

export const labModules: Record<LabProvider, LabModuleFactory> = { aws: awsLab, azure: azureLab, gcp: gcpLab };
