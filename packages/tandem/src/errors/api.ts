import { defineErrors } from "./define.js";

export const apiErrors = defineErrors({
});
