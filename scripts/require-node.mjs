// Stops with a clear message when the running Node.js is older than the
// project supports (package.json "engines"). Imported first by `npm start`,
// `npm test` and server.mjs, so an old Node fails in one readable line instead
// of a native-module crash further on.
const MINIMUM = 24;
const major = Number(process.versions.node.split(".")[0]);
if (major < MINIMUM) {
  console.error(
    `Django Questions needs Node.js ${MINIMUM} LTS or newer; this is ${process.version} (${process.execPath}).\n` +
      `Install Node.js ${MINIMUM}, or run \`. scripts/use-node.sh\` in this shell: it puts Node.js ${MINIMUM} from the npm registry into .node/ and first on PATH.`,
  );
  process.exit(1);
}
