// Defaults, except the header every other server in the suite also leaves out.
/** @type {import("next").NextConfig} */
export default { poweredByHeader: false };
