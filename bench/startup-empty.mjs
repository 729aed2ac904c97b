// Empty: bench/startup.mjs imports it for the ES module baseline (the cost of node's ESM loader reading a first file).
