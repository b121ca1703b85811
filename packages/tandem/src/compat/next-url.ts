/**
 * next/server's NextURL: a URL plus Next.js's routing fields. Tandem has no basePath, i18n or
 * build id in URLs, so those read as empty; the rest is the standard URL.
 */
export class NextURL extends URL {
  basePath = "";
  buildId: string | undefined = undefined;
  /** Next.js returns "" when i18n routing is off. */
  locale = "";
  defaultLocale: string | undefined = undefined;
  domainLocale: undefined = undefined;

  clone(): NextURL {
    const copy = new NextURL(this.href);
    copy.basePath = this.basePath;
    copy.buildId = this.buildId;
    copy.locale = this.locale;
    copy.defaultLocale = this.defaultLocale;
    return copy;
  }
}
