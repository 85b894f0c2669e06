// Maps the Apex interpreter (local-org/apex) onto the server's ApexEngine interface.
import type { ApexEngine } from './apex-engine.ts';

export function createApexEngine(): ApexEngine | undefined {
  // The interpreter does not export a runtime API yet (local-org/apex/index.ts).
  return undefined;
}
