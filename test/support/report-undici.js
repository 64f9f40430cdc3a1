// Preloaded into a relay process by a test (node --require): at exit, says whether Node loaded its fetch implementation.
process.on('exit', () => require('node:fs').writeSync(2, `\nundici loaded: ${process.moduleLoadList.some((name) => name.includes('undici'))}\n`));
