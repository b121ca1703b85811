/**
 * The one line `tandem` prints on a Node.js it does not support yet. Node.js 24's fetch classes
 * (undici 7) keep their state in private fields, which Tandem's lazy request and response objects
 * cannot carry: undici refuses them when they come back to it (`new Request(request)`,
 * `fetch(request)`, middleware's request-header overrides, `console.log(request)`).
 */
export function nodeSupportWarning(version: string = process.versions.node): string | undefined {
  const major = Number(version.split(".")[0]);
  if (major < 24) return undefined;
  return (
    `tandem: Node.js ${version} is not supported yet: its fetch classes refuse Tandem's request objects ` +
    "(new Request(request), fetch(request) and middleware header overrides fail); use Node.js 20.19+ or 22\n"
  );
}
