// A symbol property rather than a #private field: the app's bundle may hold another copy of this
// class than the one that built request.nextUrl (see app/middleware/signals.ts).
const REQUEST_HOSTNAME = Symbol.for("tandem.nextUrl.requestHostname");
const LOOPBACK = /^(?:127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|\[::1\])$/;

/**
 * next/server's NextURL: a URL plus Next.js's routing fields. Tandem has no basePath, i18n or
 * build id in URLs, so those read as empty; the rest is the standard URL.
 */
export class NextURL extends URL {
  constructor(url: string | URL, base?: string | URL) {
    super(url, base);
    // Next.js names a loopback host localhost, and code written for it builds URLs from that
    // (Auth.js's callbackUrl): the same request gives the same URL under both.
    if (LOOPBACK.test(this.hostname)) {
      Object.defineProperty(this, REQUEST_HOSTNAME, { value: this.hostname });
      this.hostname = "localhost";
    }
  }

  /**
   * A NextURL still on localhost, back on the host the request named: a rewrite or redirect to
   * `request.nextUrl` stays on the request's origin, as in Next.js. Any other URL is returned as is.
   */
  static onRequestHost(url: URL): URL {
    const hostname = (url as unknown as Record<symbol, string | undefined>)[REQUEST_HOSTNAME];
    if (hostname === undefined || url.hostname !== "localhost") return url;
    const out = new URL(url.href);
    out.hostname = hostname;
    return out;
  }

  basePath = "";
  buildId: string | undefined = undefined;
  /** Next.js returns "" when i18n routing is off. */
  locale = "";
  defaultLocale: string | undefined = undefined;
  domainLocale: undefined = undefined;

  clone(): NextURL {
    const copy = new NextURL(this.href);
    const hostname = (this as unknown as Record<symbol, string | undefined>)[REQUEST_HOSTNAME];
    if (hostname !== undefined) Object.defineProperty(copy, REQUEST_HOSTNAME, { value: hostname });
    copy.basePath = this.basePath;
    copy.buildId = this.buildId;
    copy.locale = this.locale;
    copy.defaultLocale = this.defaultLocale;
    return copy;
  }
}
