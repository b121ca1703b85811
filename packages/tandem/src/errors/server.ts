import { defineErrors } from "./define.js";

export const serverErrors = defineErrors({
});
