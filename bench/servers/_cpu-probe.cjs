// Preloaded into every benchmark server (node --require): answers the driver's 'cpu' message
// with the process's CPU time so far (user + system, µs), so the driver can compute server CPU
// per request, which a busy shared machine disturbs far less than requests per second.
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
