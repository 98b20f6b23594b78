import { config } from 'zod';

/**
 * The renderer's Content-Security-Policy forbids eval. zod compiles object parsers with
 * `new Function` where it may, and its probe for that (run as each object schema is created)
 * trips the policy; jitless parsing never tries. main.tsx imports this first, before any module
 * that creates a schema.
 */
config({ jitless: true });
