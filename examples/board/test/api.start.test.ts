// The example app under `tandem start`; the tests are in api-suite.ts.
import { exampleSuite } from "./api-suite.js";

exampleSuite("start");
