/**
 * Whether a sink's writer identity can write to its destination, as documented cases (test/gcp/cases/sink-writer.json),
 * and what the verdict does to the sink as a logging source: a sink that cannot deliver records nothing.
 */
import { expect } from 'vitest';
import { type DestinationAccess, withWriterHealth, writerHealth } from '../../providers/gcp/normalise/sink-writer.ts';
import { sourceRecords } from '../../src/core/model/logging.ts';
import { describeCases } from '../support/cases.ts';
import { makeSource } from '../support/factories.ts';

const sink = makeSource({ id: 'projects/p/sinks/s', kind: 'log-sink', name: 's', home: 'global', integrity: 'unknown' });

describeCases<{ writer: string; destination: DestinationAccess }, { flowing: string | null }>(
  new URL('./cases/', import.meta.url),
  /^sink-writer/,
  ({ input, expect: want }) => {
    const health = writerHealth('s', input.writer, input.destination);
    expect(health?.flowing ?? null).toBe(want.flowing);
    const source = withWriterHealth(sink, health);
    // Only a sink known not to deliver stops counting as recording; an unknown delivery leaves the verdict to the sink.
    expect(sourceRecords(source)).toBe(want.flowing === 'no' ? 'no' : 'yes');
    if (want.flowing === 'no') expect(source.reasons.join(' ')).toMatch(/configured but not delivering/);
  },
);
