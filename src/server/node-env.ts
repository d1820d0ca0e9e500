/**
 * The first module `npm start` evaluates (main.ts imports it before anything else): the server
 * runs in production mode unless told otherwise, `NODE_ENV=production` when it is unset.
 *
 * graphql-js reads NODE_ENV once, when it is first imported, and outside production its
 * `instanceOf` (behind every `isListType`, `isNonNullType`, ... the executor asks per field)
 * compares class names whenever the answer is no, to warn about two copies of graphql: 6-7% of
 * the CPU of a frontend request (bench/RESULTS.md, "The executor's own overhead"). Yoga and
 * envelop only read `development` (to show unmasked errors), which stays off as before.
 * In production graphql-js no longer throws its "another module or realm" error when two copies
 * of it are loaded (it answers "no" instead): `NODE_ENV=development npm start` keeps that check,
 * and the tests, which import the app and not this (or run children with vitest's `test`), keep it.
 */
if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
