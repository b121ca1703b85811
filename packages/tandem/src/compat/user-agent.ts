import { createRequire } from "node:module";

/** next/server's userAgent() result: ua-parser-js's fields plus `isBot`. */
export interface UserAgent {
  isBot: boolean;
  ua: string;
  browser: { name?: string; version?: string; major?: string };
  device: { model?: string; type?: string; vendor?: string };
  engine: { name?: string; version?: string };
  os: { name?: string; version?: string };
  cpu: { architecture?: string };
}

type Parse = (ua: string | undefined) => Omit<UserAgent, "isBot">;

const require = createRequire(import.meta.url);
let parse: Parse | undefined;

// The crawlers and link previewers Next.js recognises, so that `isBot` answers as it does there.
const BOTS =
  /Googlebot|Mediapartners-Google|AdsBot-Google|googleweblight|Storebot-Google|Google-PageRenderer|Google-InspectionTool|Bingbot|BingPreview|Slurp|DuckDuckBot|baiduspider|yandex|sogou|LinkedInBot|bitlybot|tumblr|vkShare|quora link preview|facebookexternalhit|facebookcatalog|Twitterbot|applebot|redditbot|Slackbot|Discordbot|WhatsApp|SkypeUriPreview|ia_archiver/i;

/** Whether a User-Agent string is one of the crawlers Next.js's `isBot` names. */
export function isBot(input: string): boolean {
  return BOTS.test(input);
}

/**
 * Parses a User-Agent string with ua-parser-js, as Next.js does. Version 1 (MIT), the line
 * Next.js compiles in: version 2 is AGPL. Loaded on the first call, not with next/server, which
 * every middleware imports.
 */
export function userAgentFromString(input: string | undefined): UserAgent {
  parse ??= require("ua-parser-js") as Parse;
  return { ...parse(input), isBot: input === undefined ? false : isBot(input) };
}

/** The parsed User-Agent header of a request (a NextRequest, a Request, or anything with `headers`). */
export function userAgent({ headers }: { headers: Headers }): UserAgent {
  return userAgentFromString(headers.get("user-agent") || undefined);
}
