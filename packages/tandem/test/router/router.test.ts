import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { HttpError, TandemError } from "tandem/server";
import { ListRouter } from "../../src/router/list-router.js";
import { scanApp } from "../../src/router/scan.js";
import { TrieRouter } from "../../src/router/trie-router.js";
import type { Router, RouterOptions } from "../../src/router/types.js";
import { errorCases, matchCases, treeCases, type PathCase } from "./cases.js";

const implementations: Array<[string, <T>(options?: RouterOptions<T>) => Router<T>]> = [
  ["TrieRouter", (options) => new TrieRouter(options)],
  ["ListRouter", (options) => new ListRouter(options)],
];

function checkPath(router: Router<string>, c: PathCase): void {
  if (c.throws !== undefined) {
    assert.throws(
      () => router.match(c.path),
      (error: unknown) => error instanceof HttpError && error.code === c.throws && error.status === 400,
      `${c.path} should be rejected with ${c.throws}`,
    );
    return;
  }
  const result = router.match(c.path);
  if (c.match === null) {
    assert.equal(result, null, `${c.path} should not match, got ${result?.value}`);
    return;
  }
  assert.ok(result !== null, `${c.path} should match ${c.match}`);
  assert.equal(result.value, c.match, `${c.path}`);
  assert.deepEqual(result.params, c.params, `${c.path} params`);
}

for (const [name, create] of implementations) {
  describe(`${name}: shared case table`, () => {
    for (const c of matchCases) {
      it(c.name, () => {
        const router = create<string>(c.maxParamLength === undefined ? {} : { maxParamLength: c.maxParamLength });
        for (const pattern of c.patterns) router.add(pattern, pattern);
        for (const p of c.paths) checkPath(router, p);
      });
    }

    for (const c of errorCases) {
      it(c.name, () => {
        const router = create<string>();
        const last = c.patterns.length - 1;
        c.patterns.slice(0, last).forEach((pattern) => router.add(pattern, pattern));
        assert.throws(
          () => router.add(c.patterns[last]!, c.patterns[last]!),
          (error: unknown) => {
            assert.ok(error instanceof TandemError, String(error));
            assert.equal(error.code, c.code);
            for (const fragment of c.mentions) assert.ok(error.message.includes(fragment), `"${fragment}" in: ${error.message}`);
            return true;
          },
        );
      });
    }

    it("names entries with describe() in conflict messages", () => {
      const router = create<{ file: string }>({ describe: (value) => value.file });
      router.add("/a/[id]", { file: "app/a/[id]/page.tsx" });
      assert.throws(
        () => router.add("/a/[slug]", { file: "app/a/[slug]/route.ts" }),
        /app\/a\/\[id\]\/page\.tsx.*app\/a\/\[slug\]\/route\.ts/,
      );
    });

    it("rejects a bad maxParamLength at construction", () => {
      for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
        assert.throws(
          () => create({ maxParamLength: bad }),
          (e: unknown) => e instanceof TandemError && e.code === "TND_ERR_ROUTER_OPTION_INVALID",
        );
      }
    });

    it("bad paths become a 400 response naming the code", async () => {
      const router = create<string>();
      router.add("/files/[name]", "file");
      try {
        router.match("/files/%zz");
        assert.fail("expected a throw");
      } catch (error) {
        assert.ok(error instanceof HttpError);
        const response = error.toResponse();
        assert.equal(response.status, 400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, "TND_ERR_BAD_PATH");
        assert.match(body.error.message, /percent-encoding/);
      }
    });

    for (const c of treeCases) {
      it(`scanned tree: ${c.name}`, async () => {
        const root = await mkdtemp(join(tmpdir(), "tandem-router-"));
        try {
          for (const file of c.files) {
            await mkdir(dirname(join(root, file)), { recursive: true });
            await writeFile(join(root, file), "export {};\n");
          }
          const app = await scanApp(root);
          const router = create<string>();
          for (const route of app.routes) router.add(route.pattern, route.pattern);
          for (const p of c.paths) checkPath(router, p);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      });
    }
  });
}
