import type { Transform } from "node:stream";
import type * as NodeZlib from "node:zlib";
import { negotiate, type Encoding } from "./negotiate.js";

/** `compression` in tandem.config.ts (and serve()'s option of the same name). */
export interface CompressionOptions {
  /** Smallest body, in bytes, worth compressing. Default 1024; smaller bodies go out as they are. */
  threshold?: number;
  /**
   * The codings to offer, in the server's order of preference (the client's q-values decide
   * first). Default `["br", "zstd", "gzip"]`; zstd is skipped where node:zlib lacks it.
   */
  encodings?: Encoding[];
  /** gzip 1-9 (default 3), brotli quality 0-11 (default 1), zstd 1-22 (default 3). */
  level?: { gzip?: number; br?: number; zstd?: number };
}

type Zstd = {
  createZstdCompress(options?: object): Transform;
  zstdCompressSync(body: Uint8Array | string, options?: object): Buffer;
  zstdCompress(body: Uint8Array | string, options: object, callback: (error: Error | null, result: Buffer) => void): void;
};
type Zlib = typeof NodeZlib & Partial<Zstd> & { constants: Record<string, number> };

// node:zlib loads on the first compressed response, not with the server: a server that never
// compresses (an API answering small JSON) starts without it.
let loaded: Zlib | undefined;
const zlib = (): Zlib => (loaded ??= process.getBuiltinModule("node:zlib") as Zlib);

/** The codings this Node can produce (loads node:zlib). */
export function availableEncodings(): Encoding[] {
  return typeof zlib().createZstdCompress === "function" ? ["br", "zstd", "gzip"] : ["br", "gzip"];
}

// [lowest, highest, default]. The defaults are the highest levels whose compression of an 8 KB
// SSR page costs at most a tenth of rendering it (issue 18), and they still save ~80% of its
// bytes: gzip 3 (453k instructions for the page, 80.4% saved; level 6 took 675k for 81.2%),
// brotli 1 (303k, 79.3%; quality 4 took 1.25M for 83.5%, quality 2 670k).
const LEVELS = { gzip: [1, 9, 3], br: [0, 11, 1], zstd: [1, 22, 3] } as const;

/** What is wrong with these options, or undefined when they are fine. */
export function checkCompressionOptions(value: unknown): string | undefined {
  if (value === false || value === true || value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "must be false or an object";
  const { threshold, encodings, level, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return `has an unknown option "${unknown}" (threshold, encodings or level)`;
  if (threshold !== undefined && (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 0)) {
    return `threshold must be a whole number of bytes, got ${String(threshold)}`;
  }
  if (encodings !== undefined) {
    if (!Array.isArray(encodings) || encodings.some((e) => e !== "br" && e !== "gzip" && e !== "zstd")) {
      return `encodings must be an array of "br", "zstd" and "gzip"`;
    }
  }
  if (level !== undefined) {
    if (level === null || typeof level !== "object" || Array.isArray(level)) return "level must be an object like { gzip: 6, br: 4 }";
    for (const [name, n] of Object.entries(level as Record<string, unknown>)) {
      const range = LEVELS[name as keyof typeof LEVELS];
      if (range === undefined) return `level has an unknown coding "${name}" (gzip, br or zstd)`;
      if (typeof n !== "number" || !Number.isInteger(n) || n < range[0] || n > range[1]) {
        return `level.${name} must be an integer from ${range[0]} to ${range[1]}, got ${String(n)}`;
      }
    }
  }
  return undefined;
}

/**
 * One app's compression settings, resolved once: which coding a request gets, and the zlib
 * calls that produce it. Bodies whose size is known are compressed in one call; streams through
 * a zlib stream that flushes after every chunk, so a streamed page or an SSE event reaches the
 * browser when it is written, not when the compressor's window fills.
 */
export class Compressor {
  readonly threshold: number;
  #options: CompressionOptions;
  #encodings: readonly Encoding[] | undefined;
  #whole: Record<Encoding, object> | undefined;
  #streaming: Record<Encoding, object> | undefined;
  // Clients send a handful of distinct Accept-Encoding values; most requests repeat the last one.
  #lastHeader: string | undefined;
  #lastChoice: Encoding | undefined;

  constructor(options: CompressionOptions = {}) {
    this.threshold = options.threshold ?? 1024;
    this.#options = options;
  }

  /** The codings offered, in order of preference, less those this Node lacks. */
  get encodings(): readonly Encoding[] {
    if (this.#encodings === undefined) {
      const available = availableEncodings();
      this.#encodings = (this.#options.encodings ?? available).filter((e) => available.includes(e));
    }
    return this.#encodings;
  }

  /** The coding for a request's Accept-Encoding value; undefined: send the body as it is. */
  choose(acceptEncoding: string | undefined): Encoding | undefined {
    if (acceptEncoding === this.#lastHeader && this.#encodings !== undefined) return this.#lastChoice;
    const choice = negotiate(acceptEncoding, this.encodings);
    this.#lastHeader = acceptEncoding;
    this.#lastChoice = choice;
    return choice;
  }

  /** Compresses a whole body on this thread (small bodies: cheaper than a trip to the thread pool). */
  compressSync(encoding: Encoding, body: string | Uint8Array): Buffer {
    const options = this.#wholeOptions(encoding, body);
    const z = zlib();
    if (encoding === "br") return z.brotliCompressSync(body, options);
    if (encoding === "gzip") return z.gzipSync(body, options);
    return z.zstdCompressSync!(body, options);
  }

  /** Compresses a whole body on the thread pool (large bodies: the event loop keeps serving). */
  compress(encoding: Encoding, body: string | Uint8Array): Promise<Buffer> {
    const options = this.#wholeOptions(encoding, body);
    const z = zlib();
    return new Promise((resolve, reject) => {
      const done = (error: Error | null, result: Buffer): void => (error === null ? resolve(result) : reject(error));
      if (encoding === "br") z.brotliCompress(body, options, done);
      else if (encoding === "gzip") z.gzip(body, options, done);
      else z.zstdCompress!(body, options, done);
    });
  }

  /** A compressing stream that flushes what it has after every write. */
  stream(encoding: Encoding): Transform {
    const options = this.#settings().streaming[encoding];
    const z = zlib();
    if (encoding === "br") return z.createBrotliCompress(options);
    if (encoding === "gzip") return z.createGzip(options);
    return z.createZstdCompress!(options);
  }

  /**
   * For a whole body, brotli is told its size: its encoder then sizes its window and buffers to
   * the body instead of allocating for 4 MB (same output, a third less CPU on an 8 KB page).
   * deflate (gzip) gets a window and hash table no larger than the body needs: at its defaults
   * it allocates and clears 256 KB per call, which pushed the page's own data out of the CPU
   * caches; sized to an 8 KB page that is 64 KB. A window as large as the body finds the same
   * matches, so the bytes saved stay the same.
   */
  #wholeOptions(encoding: Encoding, body: string | Uint8Array): object {
    const options = this.#settings().whole[encoding];
    if (encoding === "zstd") return options;
    const size = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    const bits = Math.ceil(Math.log2(size + 1));
    if (encoding === "gzip") {
      return { ...options, windowBits: Math.min(15, Math.max(9, bits)), memLevel: Math.min(8, Math.max(1, bits - 7)) };
    }
    const { constants } = zlib();
    const window = Math.min(24, Math.max(10, bits));
    const params = (options as { params: Record<number, number> }).params;
    return { params: { ...params, [constants.BROTLI_PARAM_SIZE_HINT!]: size, [constants.BROTLI_PARAM_LGWIN!]: window } };
  }

  /** zlib's option objects, made once, on first use. */
  #settings(): { whole: Record<Encoding, object>; streaming: Record<Encoding, object> } {
    if (this.#whole === undefined || this.#streaming === undefined) {
      const { constants } = zlib();
      const level = this.#options.level;
      const gzip = { level: level?.gzip ?? LEVELS.gzip[2] };
      const br = {
        params: {
          [constants.BROTLI_PARAM_QUALITY!]: level?.br ?? LEVELS.br[2],
          [constants.BROTLI_PARAM_MODE!]: constants.BROTLI_MODE_TEXT,
        },
      };
      const zstd: { params: Record<number, number> } = { params: {} };
      if (constants.ZSTD_c_compressionLevel !== undefined) zstd.params[constants.ZSTD_c_compressionLevel] = level?.zstd ?? LEVELS.zstd[2];
      this.#whole = { gzip, br, zstd };
      this.#streaming = {
        gzip: { ...gzip, flush: constants.Z_SYNC_FLUSH },
        br: { ...br, flush: constants.BROTLI_OPERATION_FLUSH },
        zstd: { ...zstd, flush: constants.ZSTD_e_flush },
      };
    }
    return { whole: this.#whole, streaming: this.#streaming };
  }
}
