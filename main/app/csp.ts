// The Content-Security-Policy of the app's page, the same for the Electron window (a response
// header on app://) and for `triage serve` (an HTTP header): only the app's own scripts, styles and
// API; no inline script, no eval, no frames, no forms, nothing from the network. Styles only from
// the app's own files (React sets style properties through the CSSOM, which CSP does not govern,
// so no 'unsafe-inline').
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
