// "Explore with sample mail": a bundled mailbox imported as an account without a server, so the
// lists can be tried before adding a real account. Actions that need a server say so.
export { DEMO_ACCOUNT, DEMO_HOST, defaultDemoMbox, demoMessages, demoSources, demoUnavailable, isDemoAccount, loadDemo, shiftMessage, splitMbox } from './sample-mailbox.js';
