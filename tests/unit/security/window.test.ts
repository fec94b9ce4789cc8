// The BrowserWindow's security options and the Content-Security-Policy (issue 7, item 1), read
// from main/electron/window-options.ts, which needs no Electron binary.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, webPreferences, windowOptions } from '../../../main/electron/window-options.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('BrowserWindow options', () => {
  const o = windowOptions('/app/preload/index.cjs');

  it('isolates the page from Node and Electron', () => {
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o.webPreferences.preload).toBe('/app/preload/index.cjs');
  });

  it('has nothing else that weakens it', () => {
    const prefs = webPreferences('/p.cjs') as unknown as Record<string, unknown>;
    for (const weak of ['experimentalFeatures', 'enableBlinkFeatures', 'enableRemoteModule', 'disableBlinkFeatures']) expect(prefs[weak]).toBeUndefined();
  });

  it('the main process uses these options and no other webPreferences', () => {
    const src = readFileSync(resolve(ROOT, 'main/electron/window.ts'), 'utf8');
    expect(src).toMatch(/windowOptions\(preload\)/);
    expect(src).not.toMatch(/webPreferences\s*:/);
    expect(src).toMatch(/setWindowOpenHandler/);
    expect(src).toMatch(/will-navigate/);
    expect(src).toMatch(/onHeadersReceived/);
  });
});

describe('Content-Security-Policy', () => {
  const d = directives(CONTENT_SECURITY_POLICY);

  it('allows no eval, no inline script and no remote code', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes/);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    for (const [name, values] of d) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(https?:|wss?:|\*|blob:|filesystem:)|\*/);
        if (name !== 'img-src') expect(v, `${name} ${v}`).not.toBe('data:');
      }
    }
  });

  it('closes what is not used', () => {
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
  });

  it('index.html carries the same policy in a <meta> (frame-ancestors only works as a header)', () => {
    const html = readFileSync(resolve(ROOT, 'renderer/index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const expected = new Map(d);
    expected.delete('frame-ancestors');
    expect(directives(meta!)).toEqual(expected);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('external links', () => {
  it.each([
    ['https://example.com/help', true],
    ['mailto:anna@example.com', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['app://inbox-triage/index.html', false],
    ['https://user:pw@example.com/', false],
    ['mailto:', false],
    ['smb://host/share', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok);
  });
});

describe('mailto links from review', () => {
  it('refuse queries other than subject/body and undecodable addresses', async () => {
    const { isSafeExternalUrl } = await import('../../../main/electron/window-options.js');
    expect(isSafeExternalUrl('mailto:anna@acme.test?subject=Hi&body=x')).toBe(true);
    expect(isSafeExternalUrl('mailto:anna@acme.test?attach=/etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('mailto:%E0@acme.test')).toBe(false);
  });
});
