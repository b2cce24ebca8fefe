// The Node.js 22 API (@types/node 22, installed as the dev dependency node22-types), as the type package "node" for
// tsconfig.node22.json: `npm run typecheck` compiles the shipped code against it, so nothing newer than Node 22 is used.
/// <reference path="../../../node_modules/node22-types/index.d.ts" />
