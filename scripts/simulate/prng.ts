/**
 * A small seeded pseudo-random generator so the simulator is reproducible: the same seed gives
 * the same sequence on every machine and Node version (only 32-bit integer arithmetic).
 *
 * The seed string is folded into four 32-bit words with an FNV-1a style hash, then a
 * xorshift128-family generator produces the stream. Quality is ample for test data; it is not
 * meant for cryptography.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: string | number) {
    const text = String(seed);
    const words = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      for (let w = 0; w < 4; w++) {
        words[w] = Math.imul(words[w]! ^ (c + w * 0x3b), 0x01000193 + w * 2) >>> 0;
        words[w] = (words[w]! ^ (words[w]! >>> 15)) >>> 0;
      }
    }
    this.s0 = words[0]! | 1;
    this.s1 = words[1]!;
    this.s2 = words[2]!;
    this.s3 = words[3]!;
    // Warm up so that similar seeds diverge quickly.
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (this.s1 << 9) >>> 0;
    let r = Math.imul(this.s1, 5);
    r = (((r << 7) | (r >>> 25)) >>> 0) * 9;
    r = r >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = ((this.s3 << 11) | (this.s3 >>> 21)) >>> 0;
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return r;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: entries are [value, weight]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** A new list with the items in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** An independent generator derived from this one and a label (stable sub-streams). */
  fork(label: string): Random {
    return new Random(`${label}:${this.nextUint32()}:${this.nextUint32()}`);
  }
}

/** A stable 32-bit hash of a string (FNV-1a), used to derive id ranges from a seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
