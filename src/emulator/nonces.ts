// Signature nonces seen recently (Alibaba SignatureNonce, ACS3 x-acs-signature-nonce): a nonce is
// refused while its request's timestamp could still be accepted, then forgotten.

const SWEEP_ABOVE = 100_000;

export class NonceMemory {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly skewSeconds: () => number,
  ) {}

  /** Records a nonce; false when it was already used within the skew window. */
  remember(key: string): boolean {
    const now = this.now();
    const expiresAt = this.expiries.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    this.expiries.set(key, now + 2 * this.skewSeconds() * 1000 + 1000);
    if (this.expiries.size > SWEEP_ABOVE) {
      for (const [k, at] of this.expiries) if (at <= now) this.expiries.delete(k);
    }
    return true;
  }

  clear(): void {
    this.expiries.clear();
  }
}
