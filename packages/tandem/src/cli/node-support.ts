/**
 * The one line `tandem` prints on a Node.js older than it supports (package.json `engines`; npm
 * only warns about engines, and what breaks on an old Node is far from the cause). 20.19 is the
 * first 20.x whose `require()` loads ES modules, which Vite 8 relies on.
 */
export function nodeSupportWarning(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > 20 || (major === 20 && minor >= 19)) return undefined;
  return `tandem: Node.js ${version} is not supported; use Node.js 20.19 or newer (CI runs 20, 22 and 24)\n`;
}
