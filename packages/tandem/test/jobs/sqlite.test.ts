import { conformance } from "./conformance.js";
import { sqliteBackend } from "./support.js";

conformance(sqliteBackend, async () => true);
