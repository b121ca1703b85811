// The example app under `memory (built, served in this process)`; the tests are in api-suite.ts.
import { exampleSuite } from "./api-suite.js";

exampleSuite("memory");
