// Issue "Exactly once for real", item 8: ELECTRON_RENDERER_URL (electron-vite dev) is honoured
// only by an unpackaged app, and only as an exact loopback dev origin. The decisions live in
// main/electron/window-options.ts (no 'electron' import); window.test.ts checks window.ts uses them.
import { describe, expect, it } from 'vitest';
import { devRendererOrigin, isAppPageUrl, needsCspHeader } from '../../../main/electron/window-options.js';

describe('devRendererOrigin', () => {
  it('accepts what electron-vite dev sets, in an unpackaged app', () => {
    expect(devRendererOrigin('http://localhost:5173', false)).toBe('http://localhost:5173');
    expect(devRendererOrigin('http://localhost:5174/', false)).toBe('http://localhost:5174');
    expect(devRendererOrigin('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173');
    expect(devRendererOrigin('http://[::1]:5173', false)).toBe('http://[::1]:5173');
    expect(devRendererOrigin('https://localhost:5173', false)).toBe('https://localhost:5173');
  });

  it('is ignored by a packaged app, whatever it says', () => {
    expect(devRendererOrigin('http://localhost:5173', true)).toBeNull();
    expect(devRendererOrigin('http://127.0.0.1:5173', true)).toBeNull();
  });

  it.each([
    [undefined],
    [''],
    ['not a url'],
    ['http://evil.test:5173'],
    ['http://localhost.evil.test:5173'],
    ['http://localhost:5173@evil.test/'],
    ['http://user:pw@localhost:5173'],
    ['http://localhost:5173/other/page.html'],
    ['http://localhost:5173/?x=1'],
    ['file:///etc/passwd'],
    ['app://inbox-triage'],
    ['javascript:alert(1)'],
    ['ws://localhost:5173'],
    ['http://192.168.1.2:5173'],
    ['http://0.0.0.0:5173'],
  ])('refuses %s', (value) => {
    expect(devRendererOrigin(value, false)).toBeNull();
  });
});

describe('isAppPageUrl', () => {
  it('the built app page', () => {
    expect(isAppPageUrl('app://inbox-triage/index.html', null)).toBe(true);
    expect(isAppPageUrl('app://inbox-triage/', null)).toBe(true);
    expect(isAppPageUrl('app://inbox-triage.evil/index.html', null)).toBe(false);
    expect(isAppPageUrl('app://inbox-triage@evil/index.html', null)).toBe(false);
    expect(isAppPageUrl('app://evil/index.html', null)).toBe(false);
    expect(isAppPageUrl('app://inbox-triage:99/index.html', null)).toBe(false);
    expect(isAppPageUrl('not a url', null)).toBe(false);
  });

  it('the dev server only when there is one, matched by origin and not by prefix', () => {
    const dev = 'http://localhost:5173';
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5173/', null)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173.evil/', dev)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173@evil.test/', dev)).toBe(false);
    expect(isAppPageUrl('http://localhost:51730/', dev)).toBe(false);
    expect(isAppPageUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppPageUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});

describe('needsCspHeader', () => {
  it('every response gets the CSP header, except the dev server’s own pages in dev', () => {
    expect(needsCspHeader('app://inbox-triage/index.html', null)).toBe(true);
    expect(needsCspHeader('http://localhost:5173/', null)).toBe(true);
    expect(needsCspHeader('http://localhost:5173/', 'http://localhost:5173')).toBe(false);
    expect(needsCspHeader('http://localhost:5173/@vite/client', 'http://localhost:5173')).toBe(false);
    expect(needsCspHeader('app://inbox-triage/index.html', 'http://localhost:5173')).toBe(true);
    expect(needsCspHeader('http://localhost:5173@evil.test/', 'http://localhost:5173')).toBe(true);
    expect(needsCspHeader('garbage', 'http://localhost:5173')).toBe(true);
  });
});
