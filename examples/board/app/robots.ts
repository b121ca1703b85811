const base = process.env.BOARD_URL ?? "http://localhost:3000";

export default function robots() {
  return { rules: [{ userAgent: "*", allow: "/", disallow: ["/api/", "/signin"] }], sitemap: `${base}/sitemap.xml` };
}
