// What features are given rather than reach for: a clock, a logger, the secret store.
export { systemClock, fixedClock, type Clock } from './clock.js';
export { stderrLogger, listLogger, silentLogger, type Logger } from './logger.js';
export { appRoot } from './app-root.js';
export { isLoopback } from './loopback.js';
export { EnvSecretStore, passwordEnvName, passwordEnvNames, type AccessTokenSource, type EnvSecretOptions, type SecretStore } from './secrets.js';
