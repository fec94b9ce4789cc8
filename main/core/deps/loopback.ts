// Whether a host is this machine: the only place a password may travel in plain text (nothing
// crosses a network), and where test servers run.
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/i;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(String(host ?? '').trim());
}
