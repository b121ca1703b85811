// Type tests, checked only by `tsc -p packages/tandem --noEmit` (part of `npm test`), never run:
// common Next.js middleware signatures compile against next/server's shapes.
import { expectTypeOf } from "expect-type";
import {
  type MiddlewareConfig,
  type NextMiddleware,
  type NextMiddlewareResult,
  type NextRequest,
  NextResponse,
  type NextURL,
} from "tandem/next-server";

export function nextMiddlewareSignatures() {
  const middleware: NextMiddleware = async (request, event) => {
    expectTypeOf(request.cookies.get("session")?.value).toEqualTypeOf<string | undefined>();
    expectTypeOf(request.nextUrl.clone()).toEqualTypeOf<NextURL>();
    event.waitUntil(Promise.resolve());
    if (request.nextUrl.pathname === "/a") return NextResponse.redirect(request.nextUrl);
    if (request.nextUrl.pathname === "/b") return;
    return NextResponse.next({ request: { headers: new Headers(request.headers) } });
  };
  expectTypeOf(middleware).returns.resolves.toExtend<NextMiddlewareResult>();
  expectTypeOf(NextResponse.json({ ok: true })).toEqualTypeOf<NextResponse<{ ok: boolean }>>();
  expectTypeOf<NextRequest>().toExtend<Request>();
  expectTypeOf<NextResponse>().toExtend<Response>();
  const config = { matcher: ["/((?!api).*)", { source: "/x", has: [{ type: "header", key: "a" }] }] } satisfies MiddlewareConfig;
  expectTypeOf(config.matcher).toExtend<MiddlewareConfig["matcher"]>();
}
