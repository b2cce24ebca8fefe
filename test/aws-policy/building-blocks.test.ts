/** The evaluator's building blocks on their own: wildcard patterns, ARN parts, CIDR, document parsing, trust policies. */
import { describe, expect, it } from 'vitest';
import { cidrContains } from '../../providers/aws/policy/ip.ts';
import { PolicyParseError, parsePolicy } from '../../providers/aws/policy/parse.ts';
import { describePrincipal } from '../../providers/aws/policy/principal.ts';
import { trustedEntities } from '../../providers/aws/policy/trust.ts';
import { completeContext } from '../../providers/aws/policy/context.ts';
import { expand } from '../../providers/aws/policy/variables.ts';
import {
  arnCovers,
  arnMatches,
  arnOverlaps,
  globCovers,
  globMatches,
  globOverlaps,
  parseGlob,
} from '../../providers/aws/policy/wildcard.ts';

const g = parseGlob;

describe('wildcards', () => {
  it.each([
    ['ec2:*', 'ec2:CreateSnapshot', true],
    ['ec2:*Snapshot*', 'ec2:DisableSnapshotBlockPublicAccess', true],
    ['ec2:Create?napshot', 'ec2:CreateSnapshot', true],
    ['ec2:Create?', 'ec2:CreateSnapshot', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ])('%s matches %s: %s', (p, v, want) => {
    expect(globMatches(g(p), v)).toBe(want);
  });

  it.each([
    ['snap-*', 'snap-1*', true],
    ['*-prod', 'snap-*', true],
    ['snap-a*', 'snap-b*', false],
    ['?', '??', false],
    ['a*b', '*c', false],
    ['*', '', true],
  ])('%s overlaps %s: %s', (a, b, want) => {
    expect(globOverlaps(g(a), g(b))).toBe(want);
    expect(globOverlaps(g(b), g(a))).toBe(want);
  });

  it.each([
    ['*', 'anything*', true],
    ['snap-*', 'snap-1*', true],
    ['snap-1*', 'snap-*', false],
    ['a?c', 'a?c', true],
    ['a?c', 'a*c', false],
    ['*a*', 'xa*', true],
  ])('%s covers %s: %s', (outer, inner, want) => {
    expect(globCovers(g(outer), g(inner))).toBe(want);
  });

  it('a lone star, and patterns without wildcards, are decided as every string they match says', () => {
    // every pattern of up to 3 tokens over a, b, * and ?, against every string of up to 5 characters over a, b, c
    const tokens = ['a', 'b', '*', '?'];
    const patterns = [''];
    for (let n = 0; n < 3; n++) for (const p of [...patterns]) for (const t of tokens) patterns.push(p + t);
    const strings = [''];
    for (let n = 0; n < 5; n++) for (const x of [...strings]) for (const c of 'abc') if (x.length === n) strings.push(x + c);
    const matched = (p: string) => strings.filter((x) => globMatches(g(p), x));
    const fastPath = (p: string) => p === '*' || !/[*?]/.test(p);
    for (const a of patterns) {
      for (const b of patterns) {
        if (!fastPath(a) && !fastPath(b)) continue;
        const overlap = matched(a).some((x) => globMatches(g(b), x));
        expect(globOverlaps(g(a), g(b)), `${a} overlaps ${b}`).toBe(overlap);
        if (!fastPath(a)) continue;
        // a star on the inner side matches strings longer than those enumerated: only a lone star covers it
        const covers = /\*/.test(b) ? a === '*' : matched(b).every((x) => globMatches(g(a), x));
        expect(globCovers(g(a), g(b)), `${a} covers ${b}`).toBe(covers);
      }
    }
    expect(globCovers(g('Snap-1'), g('snap-1'), true)).toBe(true);
    expect(globOverlaps(g('Snap-1'), g('snap-1'), true)).toBe(true);
    expect(globOverlaps(g('Snap-1'), g('snap-1'))).toBe(false);
  });

  it('ARN parts are matched one by one', () => {
    expect(arnMatches(g('arn:aws:ec2:*:*:snapshot/*'), 'arn:aws:ec2:us-east-1::snapshot/snap-1')).toBe(true);
    expect(arnMatches(g('arn:aws:ec2:*:snapshot/*'), 'arn:aws:ec2:us-east-1::snapshot/snap-1')).toBe(false);
    expect(arnMatches(g('*'), 'arn:aws:ec2:us-east-1::snapshot/snap-1')).toBe(true);
    expect(arnMatches(g('arn:aws:rds:*:1:snapshot:*'), 'arn:aws:rds:eu-west-1:1:snapshot:rds:auto-1')).toBe(true);
  });

  it('ARN pattern overlap and cover', () => {
    const req = g('arn:aws:ec2:*::snapshot/*');
    expect(arnCovers(g('arn:aws:ec2:*:*:snapshot/*'), req)).toBe(true);
    expect(arnCovers(g('arn:aws:ec2:us-east-1::snapshot/*'), req)).toBe(false);
    expect(arnOverlaps(g('arn:aws:ec2:us-east-1::snapshot/*'), req)).toBe(true);
    expect(arnOverlaps(g('arn:aws:ec2:*:111111111111:snapshot/*'), req)).toBe(false);
    expect(arnOverlaps(g('arn:aws:ec2:*:*:volume/*'), req)).toBe(false);
  });
});

describe('CIDR', () => {
  it.each([
    ['10.0.0.0/8', '10.200.1.1', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['2001:db8::/32', '2001:0db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::ffff:192.0.2.0/120', '::ffff:192.0.2.9', true],
    ['::/0', '10.0.0.1', false],
    ['10.0.0.0/33', '10.0.0.1', false],
    ['garbage', '10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, ip, want) => {
    expect(cidrContains(cidr, ip)).toBe(want);
  });
});

describe('documents', () => {
  it('accepts objects, JSON and URL-encoded JSON alike', () => {
    const d = { Version: '2012-10-17', Statement: { Sid: 'A', Effect: 'Allow', Action: 'ec2:*', Resource: '*' } };
    const a = parsePolicy(d);
    expect(parsePolicy(JSON.stringify(d))).toEqual(a);
    expect(parsePolicy(encodeURIComponent(JSON.stringify(d, null, 2)))).toEqual(a);
    expect(a.statements[0]).toMatchObject({ sid: 'A', effect: 'Allow', action: { element: 'Action', patterns: ['ec2:*'] } });
  });

  it.each([
    ['not json', 'nope'],
    ['no Statement', { Version: '2012-10-17' }],
    ['bad Effect', { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }],
    ['bad Condition', { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } }] }],
  ])('rejects %s', (_name, d) => {
    expect(() => parsePolicy(d)).toThrow(PolicyParseError);
  });
});

describe('policy variables', () => {
  const ctx = completeContext({ 'aws:username': 'al*ce', 'aws:TagKeys': ['a', 'b'] });
  /** `${inner}` without tripping the template-string lint. */
  const v = (inner: string) => '$' + '{' + inner + '}';
  it('substituted values are literal, escapes are literal, defaults apply', () => {
    const x = expand('user/' + v('aws:username') + '/' + v('*'), ctx, { variables: true, wildcards: true });
    expect(x.state === 'ok' && globMatches(x.tokens, 'user/al*ce/*')).toBe(true);
    expect(x.state === 'ok' && globMatches(x.tokens, 'user/alice/x')).toBe(false);
    const d = expand(v("aws:PrincipalTag/x, 'it''s'"), ctx, { variables: true, wildcards: false });
    expect(d.state === 'ok' && globMatches(d.tokens, "it's")).toBe(true);
    // a multivalued key cannot be substituted
    expect(expand(v('aws:TagKeys'), ctx, { variables: true, wildcards: false }).state).toBe('absent');
  });
});

describe('principals and trust', () => {
  it('describes principal ARNs', () => {
    expect(describePrincipal('arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R')).toMatchObject({
      kind: 'role',
      name: 'R',
      path: '/aws-service-role/x.amazonaws.com/',
      accountId: '111111111111',
    });
    expect(describePrincipal('arn:aws:sts::111111111111:assumed-role/R/s')).toMatchObject({ kind: 'assumed-role', name: 'R' });
    expect(describePrincipal('arn:aws-us-gov:iam::111111111111:user/u')).toMatchObject({ kind: 'user', partition: 'aws-us-gov' });
  });

  it('lists trusted entities with their conditions; Deny takes them away', () => {
    const t = trustedEntities({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['222222222222', 'arn:aws:iam::333333333333:role/ci'], Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
        {
          Sid: 'Saml',
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111111111111:saml-provider/Okta' },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
        { Effect: 'Allow', Principal: { AWS: '444444444444' }, Action: 'sts:TagSession' },
        { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::333333333333:role/ci' }, Action: 'sts:AssumeRole' },
      ],
    });
    expect(t.map((e) => [e.type, e.id, e.conditional])).toEqual([
      ['account', '222222222222', false],
      ['federated', 'arn:aws:iam::111111111111:saml-provider/Okta', true],
      ['service', 'ec2.amazonaws.com', false],
    ]);
    expect(t[1]!.conditions).toEqual(['StringEquals SAML:aud = https://signin.aws.amazon.com/saml']);
  });
});
