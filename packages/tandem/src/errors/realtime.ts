import { defineErrors } from "./define.js";

export const realtimeErrors = defineErrors({
});
