/* eslint-disable no-bitwise */ // mulberry32 is defined by 32-bit integer operations.
/**
 * Seeded pseudo-random numbers for reproducible simulations (internal): mulberry32, and exact binomial draws
 * by geometric skipping (expected cost n·p + 1 per draw, so cheap for the small error rates SLOs care about).
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) >>> 0) ^ 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Number of successes in `n` trials with probability `p`. */
  public binomial(n: number, p: number): number {
    if (p <= 0 || n <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    const logQ = Math.log(1 - p);
    let successes = 0;
    let position = 0;
    for (;;) {
      // Trials up to and including the next success: geometric on {1, 2, ...}.
      const u = 1 - this.next();
      position += Math.floor(Math.log(u) / logQ) + 1;
      if (position > n) return successes;
      successes++;
    }
  }
}
