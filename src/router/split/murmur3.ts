/**
 * MurmurHash3 x86 32-bit (Austin Appleby's reference, public domain) over the UTF-8 bytes of a
 * string. Chosen for the cohort split because it is fast, well distributed on short keys, and the
 * same function nginx-style splitters and Kong use for bucketing (nginx uses MurmurHash2).
 */
export function murmur3(text: string, seed = 0): number {
  const data = Buffer.from(text, 'utf8');
  const len = data.length;
  const blocks = len & ~3;
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (len & 3) {
    case 3:
      k ^= data[blocks + 2] << 16;
    // falls through
    case 2:
      k ^= data[blocks + 1] << 8;
    // falls through
    case 1:
      k ^= data[blocks];
      k = Math.imul(k, c1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, c2);
      h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket of a key in [0, buckets): salt and key are joined with NUL so "a"+"bc" != "ab"+"c". */
export function bucketOf(salt: string, key: string, buckets: number): number {
  return murmur3(`${salt}\u0000${key}`) % buckets;
}
