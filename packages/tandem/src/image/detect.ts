/** The image type of a body by its first bytes (what the upstream's Content-Type says is not trusted). */
export function detectImageType(bytes: Uint8Array): string | undefined {
  const at = (offset: number, ...values: number[]) => values.every((value, i) => bytes[offset + i] === value);
  const ascii = (offset: number, text: string) => at(offset, ...[...text].map((c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (ascii(0, "GIF8")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(4, "ftypavif") || ascii(4, "ftypavis")) return "image/avif";
  if (ascii(4, "ftypheic") || ascii(4, "ftypheix") || ascii(4, "ftypmif1")) return "image/heic";
  if (at(0, 0x00, 0x00, 0x01, 0x00)) return "image/x-icon";
  if (ascii(0, "BM")) return "image/bmp";
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return "image/tiff";
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return "image/svg+xml";
  return undefined;
}

/** Animated GIF or WebP: served as they are (a resize would keep only the first frame). */
export function isAnimated(bytes: Uint8Array, type: string): boolean {
  if (type === "image/gif") {
    // More than one image descriptor after a graphic control extension: 0x21 0xF9 ... 0x2C.
    let frames = 0;
    for (let i = 0; i + 1 < bytes.length && frames < 2; i++) if (bytes[i] === 0x21 && bytes[i + 1] === 0xf9) frames++;
    return frames > 1;
  }
  if (type === "image/webp") {
    const text = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
    return text.includes("ANIM");
  }
  return false;
}
