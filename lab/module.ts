/** What a cloud's lab module provides: each cloud folder exports one of these, lab/modules.ts lists them. */
import type { ProviderLab, ProviderLabContext } from './core.ts';
import type { Estate } from './estate.ts';

export interface LabModuleFactory {
  readonly tls: boolean;
  create(estate: Estate, ctx: ProviderLabContext): ProviderLab;
}
