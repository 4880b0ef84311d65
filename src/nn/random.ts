/**
 * A small, fast, seedable generator for network initialisation, action sampling and minibatch shuffling.
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32; its whole state is four uint32 words plus a
 * cached normal deviate, so a checkpoint can store it and a resumed run continues the same stream.
 *
 * This is not numpy's generator (environments use the numpy-compatible PCG64 in src/core for Gymnasium
 * fidelity); training randomness only has to be reproducible within this package.
 */

/** Serialisable generator state. */
export interface RandomState {
  s: [number, number, number, number];
  /** A second Box-Muller deviate waiting to be returned, or null. */
  spare: number | null;
}

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    if (!Number.isInteger(seed)) throw new Error(`Random: seed must be an integer, got ${seed}`);
    // Mix the high bits in too, so seeds above 2^32 still differ.
    const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 4294967296) * 0x27d4eb2d);
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly distributed uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal deviate (Box-Muller, polar-free form). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = this.random();
    while (u <= 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with standard normal deviates. */
  fillNormal(out: Float32Array | Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
  }

  /** A random permutation of 0..n-1 (Fisher-Yates), written into `out` when given. */
  permutation(n: number, out?: Int32Array | Uint32Array): Int32Array | Uint32Array {
    const p = out ?? new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  getState(): RandomState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  setState(state: RandomState): void {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4 || state.s.some((w) => !Number.isInteger(w))) {
      throw new Error("Random.setState: expected {s: [4 uint32 words], spare}");
    }
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((w) => w >>> 0) as [number, number, number, number];
    this.spare = state.spare ?? null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
