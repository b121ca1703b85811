import { defineErrors } from "./define.js";

export const pagesErrors = defineErrors({
});
