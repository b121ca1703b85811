import { defineErrors } from "./define.js";

export const jobsErrors = defineErrors({
});
