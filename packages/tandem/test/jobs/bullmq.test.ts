import { needRedis } from "../support/services.js";
import { conformance } from "./conformance.js";
import { bullmqBackend } from "./support.js";

conformance(bullmqBackend, needRedis);
