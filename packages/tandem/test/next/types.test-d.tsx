// Type tests, checked only by `tsc -p packages/tandem --noEmit`, never run: common Next.js uses
// of next/headers, next/navigation, next/link, next/cache and next/dynamic compile.
import { expectTypeOf } from "expect-type";
import type { ComponentType } from "react";
import { unstable_cache } from "tandem/next-cache";
import { cookies, headers, notFound, redirect, RedirectType } from "tandem/server";
import { draftMode } from "tandem/next-headers";
import { useParams, useRouter, useSearchParams } from "tandem/next-navigation";
import dynamic from "../../src/next/dynamic.js";
import Link from "../../src/pages/entries/link.js";

export async function serverSide(id: string | undefined) {
  const value = id ?? notFound();
  expectTypeOf(value).toEqualTypeOf<string>();
  if (value === "old") redirect("/new", RedirectType.replace);
  expectTypeOf((await cookies()).get("session")?.value).toEqualTypeOf<string | undefined>();
  expectTypeOf((await headers()).get("user-agent")).toEqualTypeOf<string | null>();
  expectTypeOf((await draftMode()).isEnabled).toEqualTypeOf<boolean>();
  const getUser = unstable_cache(async (userId: number) => ({ userId }), ["user"], { revalidate: 60 });
  expectTypeOf(getUser).parameters.toEqualTypeOf<[number]>();
}

export function useClientSide() {
  const router = useRouter();
  router.push("/a", { scroll: false });
  expectTypeOf(useParams<{ slug: string }>().slug).toEqualTypeOf<string>();
  expectTypeOf(useSearchParams().get("q")).toEqualTypeOf<string | null>();
  const Heavy = dynamic(async () => ({ default: (props: { label: string }) => props.label }), { ssr: false });
  expectTypeOf(Heavy).toEqualTypeOf<ComponentType<{ label: string }>>();
  return <Link href={{ pathname: "/a", query: { page: 2 } }} replace prefetch={false} className="x" />;
}
