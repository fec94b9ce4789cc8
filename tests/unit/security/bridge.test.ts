// The preload exposes exactly the contract (one ipcRenderer.invoke channel per method, plus
// onEvent) and the main process registers exactly those channels, with validated arguments and
// errors as {code, message}. Electron itself is replaced by a recording stand-in.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../main/core/api.js';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn();
const handlers = new Map<string, (e: unknown, ...args: unknown[]) => Promise<unknown>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke: (...a: unknown[]) => invoke(...a), on: vi.fn(), removeListener: vi.fn() },
  ipcMain: {
    handle: (channel: string, fn: (e: unknown, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

describe('preload', () => {
  beforeEach(() => invoke.mockReset());

  it('exposes window.api with one function per API method and onEvent, nothing else', async () => {
    await import('../../../preload/index.js');
    expect(Object.keys(exposed)).toEqual(['api']);
    const api = exposed.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onEvent'].sort());
    for (const k of Object.keys(api)) expect(typeof api[k]).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(api).not.toHaveProperty('process');
  });

  it('calls its own channel and turns {error} replies into a rejected {code, message}', async () => {
    const api = exposed.api as Record<string, (...a: unknown[]) => Promise<unknown>>;
    invoke.mockResolvedValueOnce({ result: [{ name: 'work' }] });
    await expect(api.listAccounts()).resolves.toEqual([{ name: 'work' }]);
    expect(invoke).toHaveBeenCalledWith('api:listAccounts');
    invoke.mockResolvedValueOnce({ error: { code: 'unavailable', message: 'No server.' } });
    await expect(api.rescue('abc', { force: true })).rejects.toEqual({ code: 'unavailable', message: 'No server.' });
    expect(invoke).toHaveBeenLastCalledWith('api:rescue', 'abc', { force: true });
  });
});

describe('IPC handlers', () => {
  it('registers api:<method> for every method, checks the sender and the arguments', async () => {
    const { registerIpc } = await import('../../../main/electron/ipc.js');
    const { ApiEvents } = await import('../../../main/app/events.js');
    const calls: unknown[][] = [];
    const api = Object.fromEntries(API_METHODS.map((m) => [m, async (...args: unknown[]) => (calls.push([m, ...args]), `${m} ok`)]));
    registerIpc({ api: api as never, events: new ApiEvents(), isAppUrl: (u) => u.startsWith('app://inbox-triage/'), targets: () => [] });
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `api:${m}`).sort());

    const frame = { url: 'app://inbox-triage/index.html' };
    const fromApp = { senderFrame: frame, sender: { mainFrame: frame } };
    await expect(handlers.get('api:dismiss')!(fromApp, 'abc')).resolves.toEqual({ result: 'dismiss ok' });
    await expect(handlers.get('api:dismiss')!(fromApp)).resolves.toEqual({ error: { code: 'bad-input', message: 'dismiss: "id" is missing.' } });
    const bad = (await handlers.get('api:resend')!(fromApp, 'abc', { plan: 'x' })) as { error: { message: string } };
    expect(bad.error.message).toMatch(/options\.plan/);
    const other = { url: 'https://evil.example/' };
    const fromElsewhere = { senderFrame: other, sender: { mainFrame: other } };
    await expect(handlers.get('api:listAccounts')!(fromElsewhere)).resolves.toMatchObject({ error: { code: 'bad-input' } });
    expect(calls).toEqual([['dismiss', 'abc']]);
  });
});
