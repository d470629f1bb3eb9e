/** The package's programmatic API. */
export { createSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { loadConfig, type Config } from './config.js';
export { Contracts, CONTRACTS_DIR } from './core/contracts.js';
export { Clock } from './core/clock.js';
export { Store } from './core/store.js';
export { VENDORS } from './vendors/index.js';
export { SandboxClient, ControlPlaneError, SandboxUnreachable, type ClientOptions } from './client/index.js';
