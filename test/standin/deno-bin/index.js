// Apps-Engine 1.46 only resolves this file's folder, to spawn ./bin/deno; like deno-bin, nothing to import.
throw new Error("deno-bin (stand-in) is a CLI: spawn require.resolve('deno-bin')/../bin/deno");
