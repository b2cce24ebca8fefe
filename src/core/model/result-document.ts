/**
 * The scan result as result.json and result.ndjson hold it (schema 3): the in-memory shapes of result.ts, with each
 * scope's recurring structures in its `shared` table and referenced by id (src/core/model/compact.ts). The published
 * JSON Schema is generated from this; an expanded result (no table, no references) is valid too.
 */
import { z } from 'zod';
import { SHARED_ID } from './compact.ts';
import {
  Fact,
  Finding,
  Grant,
  Logging,
  OperationCoverage,
  PathStep,
  Principal,
  RegionLogging,
  ScanResult,
  ScopeResult,
  Snapshot,
} from './result.ts';

const SharedId = z.string().regex(SHARED_ID).describe("A reference: the id of the value in the scope's `shared` table.");

/** A value, or a reference to it in the scope's `shared` table. */
const orShared = <T extends z.ZodType>(value: T) => z.union([value, SharedId]);

const s = Snapshot.shape;

export const ScopeResultDocument = ScopeResult.extend({
  shared: z
    .record(z.string().regex(SHARED_ID), z.unknown())
    .optional()
    .describe(
      'Values this scope repeats, each written once under its id (the first 12 hex digits of the SHA-256 of its JSON) and referenced by that id where it recurs. Absent when nothing recurs.',
    ),
  logging: Logging.extend({
    regions: z.array(RegionLogging.extend({ operations: orShared(z.array(OperationCoverage)).optional() })),
  }),
  principals: z.array(Principal.extend({ grants: z.array(Grant.extend({ path: z.array(orShared(PathStep)) })) })),
  snapshots: z.array(
    Snapshot.extend({
      facts: z.array(orShared(Fact)),
      encryption: orShared(s.encryption),
      sharing: orShared(s.sharing),
      owner: orShared(s.owner),
      source: orShared(s.source),
      automation: orShared(s.automation),
      tags: orShared(s.tags),
    }),
  ),
  findings: z.array(Finding.extend({ evidence: orShared(Finding.shape.evidence) })),
});

export const ScanResultDocument = ScanResult.extend({
  scopes: z.array(ScopeResultDocument),
  findings: z
    .array(Finding)
    .describe(
      "The findings tied to no scope (such as a failed discovery); each scope's are under its own `findings`, so every finding is written once. Results before schema 4.0.0 repeated every scope's finding here too.",
    ),
});
