import { describe, expect, it } from 'vitest';
import { REDACTED, scrubAndClip, scrubSecrets } from '../../src/core/secrets.ts';
import { ALL_CANARIES, CANARIES, leaks } from '../support/canaries.ts';

describe('credential scrubber', () => {
  it.each(CANARIES.map((c) => [c.shape, c] as const))('removes a %s', (_shape, c) => {
    const out = scrubSecrets(`error: ${c.text} (request failed)`);
    expect(leaks(out, c.secret), out).toBeNull();
    expect(out).toContain(REDACTED);
    expect(out).toContain('(request failed)');
  });

  it('removes every shape from one echoed request', () => {
    const out = scrubSecrets(ALL_CANARIES);
    for (const c of CANARIES) expect(leaks(out, c.secret), c.shape).toBeNull();
  });

  it('scrubs before it cuts: a token straddling the cut leaks nothing', () => {
    for (const c of CANARIES) {
      for (let cut = 20; cut < 20 + c.text.length; cut += 3) {
        const text = `${'x'.repeat(cut - 10)} ${c.text}`;
        expect(leaks(scrubAndClip(text, cut + 5), c.secret), `${c.shape} cut at ${cut}`).toBeNull();
      }
    }
  });

  it('keeps ordinary error text as it is', () => {
    for (const text of [
      'AccessDenied: User arn:aws:iam::123456789012:user/alice is not authorized to perform: ec2:DescribeSnapshots',
      'ExpiredToken: The security token included in the request is expired',
      'Basic roles (owner, editor) grant compute.snapshots.create; NextToken=abc123, pageToken: def',
      'AuthorizationFailed: The client does not have authorization to perform action Microsoft.Compute/snapshots/read',
      'Bearer tokens must be sent over TLS',
    ]) {
      expect(scrubSecrets(text)).toBe(text);
    }
  });
});
