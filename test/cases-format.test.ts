/** The shared case format refuses what would make a semantics case unverifiable: no cited source, no input, dupes. */
import { describe, expect, it } from 'vitest';
import { caseFileProblems } from './support/cases.ts';

const good = {
  name: 'a',
  source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  input: {},
  expect: {},
};

describe('case file format', () => {
  it('accepts a well-formed file', () => {
    expect(caseFileProblems('f.json', { description: 'd', cases: [good] })).toEqual([]);
  });
  it('names every problem: missing source, non-URL source, missing input/expect, duplicates, unknown fields', () => {
    const problems = caseFileProblems('f.json', {
      description: 'd',
      cases: [
        { ...good, source: undefined },
        { ...good, name: 'b', source: 'our own test' },
        { name: 'c', source: good.source },
        good,
        { ...good, name: 'e', expected: {} },
      ],
    });
    expect(problems).toEqual([
      'f.json: case 0 (a): "source" must cite the documentation with an https:// URL',
      'f.json: case 1 (b): "source" must cite the documentation with an https:// URL',
      'f.json: case 2 (c): "input" is missing',
      'f.json: case 2 (c): "expect" is missing',
      'f.json: case 3: duplicate name "a"',
      'f.json: case 4 (e): unknown field(s) expected',
    ]);
  });
  it('refuses an empty or description-less file', () => {
    expect(caseFileProblems('f.json', { cases: [] })).toEqual([
      'f.json: "description" is missing',
      'f.json: "cases" must be a non-empty array',
    ]);
  });
});
