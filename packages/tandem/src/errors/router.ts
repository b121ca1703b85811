import { defineErrors } from "./define.js";

export const routerErrors = defineErrors({
});
