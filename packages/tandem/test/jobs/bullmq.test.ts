import { needRedis } from "tandem-test-support/services";
import { conformance } from "./conformance.js";
import { bullmqBackend } from "./support.js";

conformance(bullmqBackend, needRedis);
