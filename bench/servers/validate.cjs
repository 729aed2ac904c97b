// One app of the validation benchmark (bench/validate-apps.cjs), named by argv[2], on 127.0.0.1.
const { apps } = require('../validate-apps.cjs');
const server = apps[process.argv[2]]().listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('SIGINT', () => process.exit(0));
