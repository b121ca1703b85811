// The example app under `tandem dev`; the tests are in api-suite.ts.
import { exampleSuite } from "./api-suite.js";

exampleSuite("dev");
