/**
 * A port of numpy's default random machinery, so that seeding here gives the same numbers as
 *
 *     np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
 *
 * which is what Gymnasium's `env.reset(seed=...)` and `space.seed(...)` use. Covered: `SeedSequence`
 * (entropy pool + `generateState`), the `PCG64` bit generator (128-bit LCG with the XSL-RR output,
 * including numpy's buffered 32-bit draws), and the `Generator` methods Gymnasium needs:
 * `random`, `uniform`, `integers` (Lemire's bounded method), `normal`, `standardNormal`,
 * `exponential` (256-level ziggurats) and `choice`.
 *
 * The 128-bit state lives in four 32-bit words multiplied as 16-bit limbs in ordinary numbers: every
 * partial product fits in 32 bits and every sum well inside 2^53, so the arithmetic is exact without BigInt
 * in the hot path.
 */

const MASK32 = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// SeedSequence
// ---------------------------------------------------------------------------------------------

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** Splits a non-negative integer into 32-bit words, least significant first (numpy's entropy coercion). */
function toUint32Words(value: bigint): number[] {
  if (value < 0n) throw new RangeError(`SeedSequence: entropy must be non-negative, got ${value}`);
  if (value === 0n) return [0];
  const words: number[] = [];
  while (value > 0n) {
    words.push(Number(value & 0xffffffffn));
    value >>= 32n;
  }
  return words;
}

/**
 * numpy's `SeedSequence`: hashes arbitrary entropy into a 128-bit pool and expands it into well-mixed
 * state words. Only what seeding a generator needs (no spawning).
 */
export class SeedSequence {
  readonly entropy: bigint;
  /** The mixed entropy pool, four 32-bit words. */
  readonly pool: Uint32Array;

  constructor(entropy: number | bigint) {
    if (typeof entropy === "number") {
      if (!Number.isSafeInteger(entropy) || entropy < 0) {
        throw new RangeError(`SeedSequence: seed must be a non-negative safe integer, got ${entropy}`);
      }
      entropy = BigInt(entropy);
    }
    this.entropy = entropy;
    this.pool = mixEntropy(toUint32Words(entropy));
  }

  /** `n` state words of 32 bits (numpy's `generate_state(n, np.uint32)`). */
  generateState32(n: number): Uint32Array {
    const out = new Uint32Array(n);
    let hashConst = INIT_B;
    for (let i = 0; i < n; i++) {
      let v = (this.pool[i % POOL_SIZE]! ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      v = (v ^ (v >>> XSHIFT)) >>> 0;
      out[i] = v;
    }
    return out;
  }

  /** `n` state words of 64 bits (numpy's `generate_state(n, np.uint64)`: pairs of 32-bit words, low first). */
  generateState64(n: number): bigint[] {
    const words = this.generateState32(2 * n);
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) out.push((BigInt(words[2 * i + 1]!) << 32n) | BigInt(words[2 * i]!));
    return out;
  }
}

function mixEntropy(entropy: number[]): Uint32Array {
  const hashConst = { value: INIT_A };
  const hashmix = (value: number): number => {
    value = (value ^ hashConst.value) >>> 0;
    hashConst.value = Math.imul(hashConst.value, MULT_A) >>> 0;
    value = Math.imul(value, hashConst.value) >>> 0;
    return (value ^ (value >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    let r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    r = (r ^ (r >>> XSHIFT)) >>> 0;
    return r;
  };
  const pool = new Uint32Array(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i]! : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!));
  }
  return pool;
}

// ---------------------------------------------------------------------------------------------
// PCG64
// ---------------------------------------------------------------------------------------------

/** PCG's default 128-bit multiplier 0x2360ED051FC65DA44385DF649FCCF645 as 16-bit limbs, low first. */
const M0 = 0xf645, M1 = 0x9fcc, M2 = 0xdf64, M3 = 0x4385, M4 = 0x5da4, M5 = 0x1fc6, M6 = 0xed05, M7 = 0x2360;
const TWO_POW_32 = 4294967296;
const TWO_POW_M32 = 1 / TWO_POW_32;

/** A 128-bit integer as four 32-bit words, least significant first. */
function wordsOf(x: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) out.push(Number((x >> BigInt(32 * i)) & 0xffffffffn));
  return out;
}

/** The 128-bit integer held in four 32-bit words (signed or unsigned), least significant first. */
function bigintOf(words: ArrayLike<number>): bigint {
  let x = 0n;
  for (let i = 3; i >= 0; i--) x = (x << 32n) | BigInt(words[i]! >>> 0);
  return x;
}

/** The serialisable state of a PCG64 bit generator, as numpy's `bit_generator.state` holds it. */
export interface PCG64State {
  state: bigint;
  inc: bigint;
  hasUint32: boolean;
  uinteger: number;
}

/** numpy's PCG64 bit generator (PCG XSL-RR 128/64), with its one-word buffer for 32-bit draws. */
export class PCG64 {
  /** The 128-bit LCG state as four 32-bit words, low first (int32 storage: bitwise ops read it directly). */
  private readonly s = new Int32Array(4);
  /** The odd increment as four unsigned 32-bit words, low first. */
  private readonly inc = new Float64Array(4);
  private hasUint32 = false;
  private uinteger = 0;
  /** High and low 32-bit halves of the last 64-bit output (avoids allocating a pair per draw). */
  hi = 0;
  lo = 0;

  constructor(seed: SeedSequence | number | bigint = 0) {
    const seq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    const [s0, s1, i0, i1] = seq.generateState64(4) as [bigint, bigint, bigint, bigint];
    const mask128 = (1n << 128n) - 1n;
    const initState = ((s0 << 64n) | s1) & mask128;
    const initSeq = ((i0 << 64n) | i1) & mask128;
    // pcg_setseq_128_srandom_r: state = 0; inc = seq*2+1; step; state += initstate; step.
    this.setState({ state: 0n, inc: ((initSeq << 1n) | 1n) & mask128, hasUint32: false, uinteger: 0 });
    this.step();
    this.setState({ state: (this.getState().state + initState) & mask128, inc: bigintOf(this.inc), hasUint32: false, uinteger: 0 });
    this.step();
  }

  getState(): PCG64State {
    return { state: bigintOf(this.s), inc: bigintOf(this.inc), hasUint32: this.hasUint32, uinteger: this.uinteger };
  }

  setState(st: PCG64State): void {
    this.s.set(wordsOf(st.state));
    this.inc.set(wordsOf(st.inc));
    this.hasUint32 = st.hasUint32;
    this.uinteger = st.uinteger >>> 0;
  }

  /**
   * state = state * MULT + inc (mod 2^128), exactly, in doubles. The product is schoolbook on 16-bit limbs
   * (each partial product < 2^32, a column of up to 8 of them < 2^35), and two columns are joined into one
   * 32-bit-aligned sum d_k = col_2k + 2^16 col_2k+1 + inc_k < 2^52, still an exact double. The carries then
   * ripple through four words instead of eight, and the columns are independent sums the CPU computes in
   * parallel: about 5x faster than a loop with a float `%` per limb (which V8 compiles to a C call), and
   * LunarLander draws twice per step. `x >>> 0` is exact reduction mod 2^32 for any integer double.
   */
  private step(): void {
    const s = this.s, c = this.inc;
    const w0 = s[0]!, w1 = s[1]!, w2 = s[2]!, w3 = s[3]!;
    const a0 = w0 & 0xffff, a1 = w0 >>> 16, a2 = w1 & 0xffff, a3 = w1 >>> 16;
    const a4 = w2 & 0xffff, a5 = w2 >>> 16, a6 = w3 & 0xffff, a7 = w3 >>> 16;
    const d0 = c[0]! + a0 * M0 + (a0 * M1 + a1 * M0) * 65536;
    const d1 = c[1]! + (a0 * M2 + a1 * M1 + a2 * M0) + (a0 * M3 + a1 * M2 + a2 * M1 + a3 * M0) * 65536;
    const d2 =
      c[2]! + (a0 * M4 + a1 * M3 + a2 * M2 + a3 * M1 + a4 * M0) + (a0 * M5 + a1 * M4 + a2 * M3 + a3 * M2 + a4 * M1 + a5 * M0) * 65536;
    const d3 =
      c[3]! +
      (a0 * M6 + a1 * M5 + a2 * M4 + a3 * M3 + a4 * M2 + a5 * M1 + a6 * M0) +
      (a0 * M7 + a1 * M6 + a2 * M5 + a3 * M4 + a4 * M3 + a5 * M2 + a6 * M1 + a7 * M0) * 65536;
    let low = d0 >>> 0;
    s[0] = low;
    let acc = d1 + (d0 - low) * TWO_POW_M32;
    low = acc >>> 0;
    s[1] = low;
    acc = d2 + (acc - low) * TWO_POW_M32;
    low = acc >>> 0;
    s[2] = low;
    s[3] = (d3 + (acc - low) * TWO_POW_M32) >>> 0;
  }

  /** Advances and leaves the 64-bit output in `hi`/`lo`. */
  next64(): void {
    this.step();
    const s = this.s;
    const xh = (s[3]! ^ s[1]!) >>> 0;
    const xl = (s[2]! ^ s[0]!) >>> 0;
    const rot = s[3]! >>> 26; // state >> 122
    if (rot === 0) {
      this.hi = xh;
      this.lo = xl;
    } else if (rot < 32) {
      this.hi = ((xh >>> rot) | (xl << (32 - rot))) >>> 0;
      this.lo = ((xl >>> rot) | (xh << (32 - rot))) >>> 0;
    } else if (rot === 32) {
      this.hi = xl;
      this.lo = xh;
    } else {
      const r = rot - 32;
      this.hi = ((xl >>> r) | (xh << (32 - r))) >>> 0;
      this.lo = ((xh >>> r) | (xl << (32 - r))) >>> 0;
    }
  }

  /** The next raw 64-bit output (numpy's `random_raw`). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** A 32-bit draw: the low half of a fresh 64-bit output, then its high half on the next call. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.next64();
    this.hasUint32 = true;
    this.uinteger = this.hi;
    return this.lo;
  }

  /** A double in [0, 1) from the top 53 bits of a 64-bit output. */
  nextDouble(): number {
    this.next64();
    return (this.hi * 2097152 + (this.lo >>> 11)) * 1.1102230246251565e-16; // 2^21, 2^-53
  }
}

// ---------------------------------------------------------------------------------------------
// Ziggurat tables (Marsaglia & Tsang, 256 levels, the parameters numpy uses)
// ---------------------------------------------------------------------------------------------

const ZIGGURAT_NOR_R = 3.6541528853610088;
const ZIGGURAT_NOR_INV_R = 0.27366123732975828;
const ZIGGURAT_NOR_V = 0.004928673233974658; // r*f(r) + tail area, to double precision
const ZIGGURAT_EXP_R = 7.69711747013104972;
const ZIGGURAT_EXP_V = 0.003949659822581556; // (r + 1) * exp(-r)

interface Ziggurat {
  k: Float64Array;
  w: Float64Array;
  f: Float64Array;
}

let normalTables: Ziggurat | undefined;
let exponentialTables: Ziggurat | undefined;

function buildNormalTables(): Ziggurat {
  const m = 2 ** 52;
  const k = new Float64Array(256), w = new Float64Array(256), f = new Float64Array(256);
  let dn = ZIGGURAT_NOR_R;
  let tn = dn;
  const q = ZIGGURAT_NOR_V / Math.exp(-0.5 * dn * dn);
  k[0] = Math.floor((dn / q) * m);
  k[1] = 0;
  w[0] = q / m;
  w[255] = dn / m;
  f[0] = 1;
  f[255] = Math.exp(-0.5 * dn * dn);
  for (let i = 254; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIGGURAT_NOR_V / dn + Math.exp(-0.5 * dn * dn)));
    k[i + 1] = Math.floor((dn / tn) * m);
    tn = dn;
    f[i] = Math.exp(-0.5 * dn * dn);
    w[i] = dn / m;
  }
  return { k, w, f };
}

function buildExponentialTables(): Ziggurat {
  const m = 2 ** 53;
  const k = new Float64Array(256), w = new Float64Array(256), f = new Float64Array(256);
  let de = ZIGGURAT_EXP_R;
  let te = de;
  const q = ZIGGURAT_EXP_V / Math.exp(-de);
  k[0] = Math.floor((de / q) * m);
  k[1] = 0;
  w[0] = q / m;
  w[255] = de / m;
  f[0] = 1;
  f[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(ZIGGURAT_EXP_V / de + Math.exp(-de));
    k[i + 1] = Math.floor((de / te) * m);
    te = de;
    f[i] = Math.exp(-de);
    w[i] = de / m;
  }
  return { k, w, f };
}

// ---------------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------------

/** A scalar or a list of per-element values (numpy broadcasting over one dimension). */
export type NumberOrArray = number | ArrayLike<number>;

function at(x: NumberOrArray, i: number): number {
  return typeof x === "number" ? x : x[i]!;
}

function broadcastLength(what: string, size: number | undefined, ...args: NumberOrArray[]): number | undefined {
  let n = size;
  for (const a of args) {
    if (typeof a === "number") continue;
    if (n === undefined) n = a.length;
    else if (a.length !== n) throw new RangeError(`${what}: shapes do not broadcast (${a.length} vs ${n})`);
  }
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new RangeError(`${what}: size must be a non-negative integer, got ${n}`);
  return n;
}

/**
 * numpy's `Generator` over a PCG64 bit generator. Methods mirror numpy's: a scalar call draws one value;
 * passing `size` (or array-valued parameters) draws that many, in numpy's order, into a Float64Array
 * (integers: a plain number array).
 */
export class Generator {
  readonly bitGenerator: PCG64;

  constructor(bitGenerator: PCG64) {
    this.bitGenerator = bitGenerator;
  }

  /** `random()` in [0, 1). */
  random(): number;
  random(size: number): Float64Array;
  random(size?: number): number | Float64Array {
    if (size === undefined) return this.bitGenerator.nextDouble();
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.bitGenerator.nextDouble();
    return out;
  }

  /** `uniform(low, high)`: low + (high - low) * random(), computed in float64 as numpy does. */
  uniform(low?: number, high?: number): number;
  uniform(low: NumberOrArray, high: NumberOrArray, size?: number): Float64Array;
  uniform(low: NumberOrArray = 0, high: NumberOrArray = 1, size?: number): number | Float64Array {
    if (size === undefined && typeof low === "number" && typeof high === "number") {
      // The scalar call (environments draw this way every step): no broadcasting bookkeeping.
      checkFiniteRange("uniform", low, high);
      return low + (high - low) * this.bitGenerator.nextDouble();
    }
    // undefined only for an all-scalar call without `size`, which returned above
    const n = broadcastLength("uniform", size, low, high) as number;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) checkFiniteRange("uniform", at(low, i), at(high, i));
    for (let i = 0; i < n; i++) {
      const l = at(low, i);
      out[i] = l + (at(high, i) - l) * this.bitGenerator.nextDouble();
    }
    return out;
  }

  /**
   * `integers(low, high)`: integers in [low, high) (or [0, low) when `high` is omitted), numpy's int64
   * path: Lemire's bounded method over buffered 32-bit draws when the range fits 32 bits.
   */
  integers(low: number, high?: number): number;
  integers(low: number, high: number | undefined, size: number, endpoint?: boolean): number[];
  integers(low: number, high?: number, size?: number, endpoint = false): number | number[] {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new RangeError(`integers: bounds must be safe integers, got low=${low}, high=${high}`);
    }
    const top = endpoint ? high : high - 1;
    if (top < low) throw new RangeError(`integers: low >= high (low=${low}, high=${high})`);
    const rng = top - low;
    if (size === undefined) return low + this.boundedInclusive(rng);
    const out: number[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = low + this.boundedInclusive(rng);
    return out;
  }

  /** A uniform integer in [0, rng]. */
  private boundedInclusive(rng: number): number {
    if (rng === 0) return 0;
    const bg = this.bitGenerator;
    if (rng === MASK32) return bg.nextUint32();
    if (rng < MASK32) {
      const rngExcl = rng + 1;
      let [mHi, leftover] = mul32(bg.nextUint32(), rngExcl);
      if (leftover < rngExcl) {
        const threshold = (MASK32 - rng) % rngExcl;
        while (leftover < threshold) [mHi, leftover] = mul32(bg.nextUint32(), rngExcl);
      }
      return mHi;
    }
    return Number(this.boundedLemire64(BigInt(rng)));
  }

  /** Lemire's method on full 64-bit draws (ranges wider than 32 bits; rare, so BigInt is fine). */
  private boundedLemire64(rng: bigint): bigint {
    const rngExcl = rng + 1n;
    const mask64 = (1n << 64n) - 1n;
    let m = this.bitGenerator.nextUint64() * rngExcl;
    let leftover = m & mask64;
    if (leftover < rngExcl) {
      const threshold = (mask64 - rng) % rngExcl;
      while (leftover < threshold) {
        m = this.bitGenerator.nextUint64() * rngExcl;
        leftover = m & mask64;
      }
    }
    return m >> 64n;
  }

  /** A standard normal draw (numpy's 256-level ziggurat). */
  standardNormal(): number {
    const t = (normalTables ??= buildNormalTables());
    const bg = this.bitGenerator;
    for (;;) {
      bg.next64();
      const hi = bg.hi, lo = bg.lo;
      const idx = lo & 0xff;
      // r = u64 >> 8; sign = r & 1; rabs = (r >> 1) & (2^52 - 1), i.e. bits 9..60 of the output.
      const sign = (lo >>> 8) & 1;
      const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9); // (hi bits 0..28) * 2^23 + lo bits 9..31
      let x = rabs * t.w[idx]!;
      if (sign) x = -x;
      if (rabs < t.k[idx]!) return x;
      if (idx === 0) {
        for (;;) {
          const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-bg.nextDouble());
          const yy = -Math.log1p(-bg.nextDouble());
          if (yy + yy > xx * xx) {
            return Math.floor(rabs / 256) % 2 === 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
          }
        }
      } else if ((t.f[idx - 1]! - t.f[idx]!) * bg.nextDouble() + t.f[idx]! < Math.exp(-0.5 * x * x)) {
        return x;
      }
    }
  }

  /** `normal(loc, scale)`: loc + scale * standardNormal(). */
  normal(loc?: number, scale?: number): number;
  normal(loc: NumberOrArray, scale: NumberOrArray, size?: number): Float64Array;
  normal(loc: NumberOrArray = 0, scale: NumberOrArray = 1, size?: number): number | Float64Array {
    const n = broadcastLength("normal", size, loc, scale);
    const check = (s: number) => {
      if (!(s >= 0)) throw new RangeError(`normal: scale must be non-negative, got ${s}`);
    };
    if (n === undefined) {
      check(scale as number);
      return (loc as number) + (scale as number) * this.standardNormal();
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) check(at(scale, i));
    for (let i = 0; i < n; i++) out[i] = at(loc, i) + at(scale, i) * this.standardNormal();
    return out;
  }

  /** A standard exponential draw (numpy's 256-level ziggurat). */
  standardExponential(): number {
    const t = (exponentialTables ??= buildExponentialTables());
    const bg = this.bitGenerator;
    for (;;) {
      bg.next64();
      // ri = u64 >> 3; idx = ri & 0xff; ri >>= 8  -> ri = u64 >> 11 (53 bits), idx = bits 3..10.
      const idx = (bg.lo >>> 3) & 0xff;
      const ri = bg.hi * 2097152 + (bg.lo >>> 11);
      const x = ri * t.w[idx]!;
      if (ri < t.k[idx]!) return x;
      if (idx === 0) return ZIGGURAT_EXP_R - Math.log1p(-bg.nextDouble());
      if ((t.f[idx - 1]! - t.f[idx]!) * bg.nextDouble() + t.f[idx]! < Math.exp(-x)) return x;
    }
  }

  /** `exponential(scale)`: scale * standardExponential(). */
  exponential(scale?: number): number;
  exponential(scale: NumberOrArray, size?: number): Float64Array;
  exponential(scale: NumberOrArray = 1, size?: number): number | Float64Array {
    const n = broadcastLength("exponential", size, scale);
    if (n === undefined) return (scale as number) * this.standardExponential();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = at(scale, i) * this.standardExponential();
    return out;
  }

  /**
   * `choice(a)` with replacement and uniform probabilities: an element of `a` (or of range(a) when `a` is
   * a count), drawn as numpy does with `integers(0, len(a))`.
   */
  choice<T>(a: readonly T[]): T;
  choice(a: number): number;
  choice<T>(a: readonly T[] | number): T | number {
    const n = typeof a === "number" ? a : a.length;
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`choice: a must be a non-empty array or a positive integer, got ${typeof a === "number" ? a : "[]"}`);
    const i = this.integers(0, n);
    return typeof a === "number" ? i : a[i]!;
  }
}

function checkFiniteRange(what: string, low: number, high: number): void {
  if (!Number.isFinite(high - low)) throw new RangeError(`${what}: range exceeds valid bounds (low=${low}, high=${high})`);
}

/** 32x32 -> 64-bit product of non-negative integers, as [high 32 bits, low 32 bits]. */
function mul32(a: number, b: number): [number, number] {
  const aLo = a & 0xffff, aHi = a >>> 16;
  const bLo = b & 0xffff, bHi = b >>> 16;
  const ll = aLo * bLo;
  const mid = aHi * bLo + aLo * bHi; // < 2^33
  const hh = aHi * bHi;
  const low = ll + (mid % 65536) * 65536; // < 2^49
  const lowWord = low % 4294967296;
  const carry = (low - lowWord) / 4294967296;
  const high = hh + Math.floor(mid / 65536) + carry;
  return [high >>> 0, lowWord];
}

/**
 * A generator seeded as Gymnasium's `np_random(seed)` does; returns it with the seed used.
 * Without a seed, fresh entropy from the platform's crypto source is drawn (as numpy does).
 */
export function npRandom(seed?: number): [Generator, number] {
  let used: number;
  if (seed === undefined) {
    const words = new Uint32Array(2);
    globalThis.crypto.getRandomValues(words);
    used = (words[0]! & 0x1fffff) * 4294967296 + words[1]!; // a safe integer
  } else {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    }
    used = seed;
  }
  return [new Generator(new PCG64(new SeedSequence(used))), used];
}
