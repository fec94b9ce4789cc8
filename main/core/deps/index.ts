// What features are given rather than reach for: a clock, a logger, the secret store.
export { systemClock, fixedClock, type Clock } from './clock.js';
export { stderrLogger, listLogger, silentLogger, type Logger } from './logger.js';
export { EnvSecretStore, passwordEnvNames, type SecretStore } from './secrets.js';
