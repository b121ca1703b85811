import { createRunnableDevEnvironment, createServerModuleRunner, type Plugin } from "vite";
import { createDefaultImportMeta, createNodeImportMeta, type ModuleRunnerOptions } from "vite/module-runner";

type RunnerImportMeta = ReturnType<typeof createNodeImportMeta>;

/**
 * plugin-rsc's transforms that parse every module holding their marker text ("use server", a CSS
 * file's extension) and that cannot change a pre-bundled dependency: a bundle keeps no module
 * directives or CSS imports, and the server environments pre-bundle only React's packages.
 * React's react-server-dom server holds "use server" in its messages: rsc:use-server parsed and
 * walked its 180 KB on every clean start and returned it unchanged.
 */
const NOT_FOR_DEPENDENCIES = new Set(["rsc:use-server", "rsc:rsc-css-export-transform"]);

/** React's packages, which the ssr environment of `tandem dev` leaves to Node (decision 0015). */
const NATIVE_IN_SSR = ["react", "react-dom"];
/** plugin-rsc's vendored react-server-dom client: it must pass through plugin-rsc's plugins. */
const CLIENT_EDGE = "@vitejs/plugin-rsc/vendor/react-server-dom/client.edge";

/**
 * How `tandem dev`'s server environments load modules, where that differs from Vite's defaults
 * (decision 0015). Dev only: `tandem build` bundles each environment whole, as before.
 *
 * - ssr: React's packages are imported by Node itself, not pre-bundled, then transformed and
 *   evaluated file by file by Vite's module runner. The ssr environment uses Node's own
 *   conditions (no `react-server`), so Node finds the files the bundle held. One React holds:
 *   the module runner resolves an external import of a package in `resolve.dedupe` (React is)
 *   from the app's root, whoever imports it, and the one bundle left, plugin-rsc's vendored
 *   client, leaves React external and requires it from the dependency cache under the root.
 * - Pre-bundled files skip plugin-rsc's transforms that cannot change them.
 * - `import.meta.resolve` in modules the runner evaluates registers Node's module hooks when it
 *   is first called, not when the first module is evaluated.
 */
export function devEnvironments(): Plugin {
  return {
    name: "tandem:dev-environments",
    apply: "serve",
    configResolved(config) {
      const exclude = new RegExp(`^${escapeRegExp(config.cacheDir)}[\\\\/]`);
      for (const plugin of config.plugins) {
        const transform = plugin.transform;
        if (!NOT_FOR_DEPENDENCIES.has(plugin.name) || transform === undefined) continue;
        if (typeof transform !== "function" && transform.filter !== undefined) continue;
        // A hook filter (Vite's, documented): the dependency cache's files never reach the handler.
        (plugin as { transform: unknown }).transform =
          typeof transform === "function"
            ? { filter: { id: { exclude } }, handler: transform }
            : { ...transform, filter: { id: { exclude } } };
      }
    },
    configEnvironment: {
      // After plugin-rsc and Tandem's pages plugin have given the ssr environment their lists.
      order: "post",
      handler(name, config) {
        if (name !== "ssr" && name !== "rsc") return;
        const dev = (config.dev ??= {});
        dev.createEnvironment ??= (envName, envConfig) =>
          createRunnableDevEnvironment(envName, envConfig, {
            runner: (environment) => {
              const runner = createServerModuleRunner(environment);
              // Vite's factory sets its own createImportMeta after any option given to it; the
              // runner reads the option each time it evaluates a module, the first one included.
              (runner.options as { createImportMeta?: ModuleRunnerOptions["createImportMeta"] }).createImportMeta = lazyNodeImportMeta;
              return runner;
            },
          });
        if (name !== "ssr") return;
        const resolve = (config.resolve ??= {});
        if (Array.isArray(resolve.noExternal)) {
          resolve.noExternal = resolve.noExternal.filter((entry) => typeof entry !== "string" || !NATIVE_IN_SSR.includes(entry));
        }
        // plugin-rsc's list (React's packages, server.edge) and Tandem's (server.node) go: only the
        // vendored client is bundled, with React left to the `require` the bundle makes.
        const optimize = (config.optimizeDeps ??= {});
        optimize.include = [CLIENT_EDGE];
        optimize.noDiscovery = true;
        optimize.rolldownOptions = { ...optimize.rolldownOptions, external: [/^react(?:-dom)?(?:\/|$)/] };
      },
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/**
 * Vite's import.meta for Node, with `import.meta.resolve` set up when first called. Vite's own
 * registers Node's module hooks for it as the first module is evaluated: on Node 20 that starts
 * the hooks thread and blocks until it runs (0.1 to 0.5 s on the bench machine), and every later
 * import in the process, the runner's native imports included, goes through that thread.
 */
function lazyNodeImportMeta(modulePath: string): RunnerImportMeta {
  let node: RunnerImportMeta | undefined;
  return {
    ...createDefaultImportMeta(modulePath),
    main: false,
    resolve: (specifier: string, parent?: string) => (node ??= createNodeImportMeta(modulePath)).resolve(specifier, parent),
  };
}
