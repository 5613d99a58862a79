/**
 * csv-parse's synchronous parser, bundled at build time with `zod.ts` (see there for why): its
 * 10 modules become one.
 */
export { parse } from "csv-parse/sync";
