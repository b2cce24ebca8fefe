/**
 * Canary credentials, one per shape the scrubber knows, each as a cloud or ticket system would echo it in an error
 * message. `secret` is the part that must never appear in any output, log line, ticket or the state file. They are
 * fake values made up for these tests.
 */
export interface Canary {
  shape: string;
  /** How the credential appears in an error text. */
  text: string;
  /** What must not survive. */
  secret: string;
}

const pem = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCanaryPemKeyBody0',
  'Q2FuYXJ5UGVtS2V5Qm9keUxpbmVUd28rQ2FuYXJ5UGVtS2V5Qm9keUxpbmVUd28=',
  '-----END PRIVATE KEY-----',
].join('\n');

export const CANARIES: Canary[] = [
  { shape: 'AWS access key id', text: 'credential AKIACANARYKEY0000001/20260101/us-east-1', secret: 'CANARYKEY0000001' },
  { shape: 'AWS temporary access key id', text: 'key ASIACANARYKEY0000002 is invalid', secret: 'CANARYKEY0000002' },
  {
    shape: 'AWS secret access key',
    text: '<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY00003</SecretAccessKey>',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY00003',
  },
  {
    shape: 'AWS session token',
    text: 'X-Amz-Security-Token=IQoJb3JpZ2luX2VjEKnCanarySessionToken0004aGVsbG8gd29ybGQ%3D&X-Amz-Date=20260101T000000Z',
    secret: 'CanarySessionToken0004',
  },
  { shape: 'bearer token', text: 'Authorization: Bearer CanaryOpaqueBearer0005abcdefghij', secret: 'CanaryOpaqueBearer0005' },
  {
    shape: 'JWT',
    text: 'subject_token=eyJhbGciOiJSUzI1NiIsImtpZCI6ImNhbmFyeSJ9.eyJzdWIiOiJjYW5hcnktMDAwNiJ9.Q2FuYXJ5Snd0U2lnMDAwNg&subject_token_type=urn:ietf:params:oauth:token-type:jwt',
    secret: 'eyJzdWIiOiJjYW5hcnktMDAwNiJ9',
  },
  { shape: 'Google access token', text: '{"access_token":"ya29.a0CanaryGoogleToken0007_xyz"}', secret: 'CanaryGoogleToken0007' },
  {
    shape: 'Azure SAS signature',
    text: 'https://acct.blob.core.windows.net/snap/abcd?sv=2022-11-02&sr=b&sp=r&sig=CanarySasSig0008%2Bq%3D&se=2026-01-02',
    secret: 'CanarySasSig0008',
  },
  {
    shape: 'Basic authorization',
    // base64 of "svc-user:CanaryBasicPassword0009"
    text: `proxy said: Basic ${Buffer.from('svc-user:CanaryBasicPassword0009').toString('base64')}`,
    secret: Buffer.from('svc-user:CanaryBasicPassword0009').toString('base64').slice(4, 36),
  },
  { shape: 'PEM private key', text: `key was:\n${pem}\n(end)`, secret: 'CanaryPemKeyBody0' },
  { shape: 'token exchange subject token', text: 'subject_token=CanaryOpaqueSubject0010&grant_type=x', secret: 'CanaryOpaqueSubject0010' },
  { shape: 'GitHub token', text: 'Bad credentials for ghp_CanaryGithubToken0011abcdefghijklmno', secret: 'CanaryGithubToken0011' },
];

/** Every canary in one error text, as a token endpoint echoing its whole request would send it. */
export const ALL_CANARIES = CANARIES.map((c) => c.text).join(' | ');

/** Every substring of `secret` this long or longer would count as a leak (a cut token leaks its prefix). */
export const LEAK_MIN = 8;

export function leaks(text: string, secret: string): string | null {
  for (let i = 0; i + LEAK_MIN <= secret.length; i++) {
    const piece = secret.slice(i, i + LEAK_MIN);
    if (text.includes(piece)) return piece;
  }
  return null;
}
