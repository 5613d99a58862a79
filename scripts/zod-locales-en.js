// zod's locales index as synthproof's bundle has it: English only (see bundle.mjs).
export { default as en } from "zod/v4/locales/en.js";
