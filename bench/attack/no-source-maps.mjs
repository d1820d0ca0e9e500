/**
 * `--import tsx --import bench/attack/no-source-maps.mjs`: the server as `npm start` runs it, with
 * Node's source maps off again (tsx turns them on as it registers), for bench/attack/slowloris.mjs
 * to measure what they cost.
 */
process.setSourceMapsEnabled(false);
