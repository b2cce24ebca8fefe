/**
 * The SHA-256 the AWS clients sign with (providers/aws/sha256.ts) gives the digests SigV4 is defined with: AWS's
 * published signing example, and node:crypto's own digests for every kind of key and input the SDK hands it. And a
 * client built with it signs a request exactly as the SDK's default does.
 */
import { createHash, createHmac } from 'node:crypto';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Sha256 } from '../../providers/aws/sha256.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function hmac(key: string | Uint8Array, data: string): Promise<Uint8Array> {
  const h = new Sha256(key);
  h.update(Buffer.from(data));
  return h.digest();
}

describe('Sha256 for SigV4', () => {
  // https://docs.aws.amazon.com/general/latest/gr/sigv4-calculate-signature.html (the worked example: signing key
  // derived from the example secret, then the signature of the example string to sign)
  it('derives the signing key and signature of AWS’s published example (binary HMAC keys)', async () => {
    let key = await hmac('AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830');
    for (const part of ['us-east-1', 'iam', 'aws4_request']) key = await hmac(key, part);
    expect(hex(key)).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const stringToSign =
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59';
    expect(hex(await hmac(key, stringToSign))).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
    // the same key object again (SigV4 reuses its cached signing key): the same signature
    expect(hex(await hmac(key, stringToSign))).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });

  it('gives node:crypto’s digests for views with an offset, ArrayBuffers, chunks, repeated digests and reset', async () => {
    const bytes = new Uint8Array(64).map((_, i) => (i * 37) & 0xff);
    const view = bytes.subarray(5, 41);
    const ref = (key: Buffer | string | null, ...chunks: Uint8Array[]) => {
      const h = key === null ? createHash('sha256') : createHmac('sha256', key);
      for (const c of chunks) h.update(c);
      return h.digest('hex');
    };
    const a = new Uint8Array([1, 2, 3]);
    const b = new TextEncoder().encode('Action=GetCallerIdentity&Version=2011-06-15');

    const plain = new Sha256();
    plain.update(a);
    expect(hex(await plain.digest())).toBe(ref(null, a));
    plain.update(b); // a plain hash goes on after a digest, as the SDK's does
    expect(hex(await plain.digest())).toBe(ref(null, a, b));
    plain.reset();
    expect(hex(await plain.digest())).toBe(ref(null));

    const viewKey = new Sha256(view);
    viewKey.update(b);
    expect(hex(await viewKey.digest())).toBe(ref(Buffer.from(view), b));
    expect(() => viewKey.update(a)).toThrow(/finished/);
    viewKey.reset();
    viewKey.update(a);
    expect(hex(await viewKey.digest())).toBe(ref(Buffer.from(view), a));

    const bufferKey = new Sha256(bytes.slice(0, 32).buffer);
    bufferKey.update(b);
    expect(hex(await bufferKey.digest())).toBe(ref(Buffer.from(bytes.slice(0, 32)), b));

    const stringKey = new Sha256('secret');
    stringKey.update(b);
    expect(hex(await stringKey.digest())).toBe(ref('secret', b));
    // an empty secret is no secret (a plain hash), as in the SDK
    expect(hex(await new Sha256('').digest())).toBe(ref(null));
  });
});

describe('an SDK client with this Sha256', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signs a request exactly as the SDK’s default', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05Z'));
    const signed = async (extra: Record<string, unknown>) => {
      let headers: Record<string, string> = {};
      const client = new STSClient({
        region: 'eu-west-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token' },
        requestHandler: {
          handle: async (req: { headers: Record<string, string> }) => {
            headers = req.headers;
            throw new Error('captured');
          },
        },
        ...extra,
      });
      // the invocation id is random per request and signed: pin it so that two requests can be compared
      type Args = { request: { headers: Record<string, string> } };
      const pin = (next: (args: Args) => Promise<unknown>) => (args: Args) => {
        args.request.headers['amz-sdk-invocation-id'] = '00000000-0000-4000-8000-000000000000';
        return next(args);
      };
      client.middlewareStack.addRelativeTo(pin as unknown as Parameters<STSClient['middlewareStack']['addRelativeTo']>[0], {
        relation: 'before',
        toMiddleware: 'httpSigningMiddleware',
      });
      await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toThrow('captured');
      return headers;
    };
    const ours = await signed({ sha256: Sha256 });
    const sdk = await signed({});
    expect(ours.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/sts\/aws4_request, /);
    expect(ours.authorization).toBe(sdk.authorization);
    expect(ours['x-amz-date']).toBe(sdk['x-amz-date']);
  });
});
