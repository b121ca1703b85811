/**
 * What every cookie Tandem sets starts from, whichever API sets it (`cookies().set` in actions and
 * route handlers, `response.cookies.set` on a NextResponse): secure by default, opt out per cookie
 * (`{ httpOnly: false }` for a cookie that browser code reads).
 */
export const COOKIE_DEFAULTS = Object.freeze({ path: "/", httpOnly: true, sameSite: "lax" } as const);
