/**
 * ARM throttling: a token bucket of reads per subscription and per tenant (per principal), refilled continuously;
 * an empty bucket answers 429 with Retry-After, and every answer tells how many reads remain
 * (`x-ms-ratelimit-remaining-subscription-reads` / `-tenant-reads`).
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling
 */
export interface ReadLimits {
  bucket: number;
  refillPerSecond: number;
}

export interface BucketVerdict {
  allowed: boolean;
  remaining: number;
  /** Seconds until one read is available again (when not allowed). */
  retryAfterSeconds: number;
}

export class ReadBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly limits: ReadLimits;
  private readonly now: () => number;

  constructor(limits: ReadLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.now = now;
  }

  take(key: string): BucketVerdict {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limits.bucket, at: t };
    b.tokens = Math.min(this.limits.bucket, b.tokens + ((t - b.at) / 1000) * this.limits.refillPerSecond);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.limits.refillPerSecond)) };
    }
    b.tokens -= 1;
    return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
  }
}
