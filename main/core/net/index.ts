// What is at the other end of a port: a server's first words, read without logging in, so a
// wrong port or a wrong security setting is named as such (imap/connect.ts, smtp/check.ts).
export { SERVICE_NAMES, greetingLine, serviceOfGreeting, sniffGreeting, type ServiceKind, type Sniffed } from './greeting.js';
