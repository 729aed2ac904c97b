/** Contract conformance: probes, checks and the runner, used by `xlink-errors/testing` and `xlink-errors check`. */
export { checkXlinkContract, type XlinkContractFailure, type XlinkContractOptions, type XlinkContractReport, type XlinkContractRequest, type XlinkContractResult } from './run.js';
export type { XlinkContractTarget, XlinkFetchTarget } from './target.js';
export { formatReport, junitReport, summaryLine } from './report.js';
export { CHECKS, type ContractCheck } from './checks.js';
export { GLOBAL_PROBES, ROUTE_PROBES, type Probe } from './probes.js';
