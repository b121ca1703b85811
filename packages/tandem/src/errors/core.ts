import { defineErrors } from "./define.js";

export const coreErrors = defineErrors({
});
