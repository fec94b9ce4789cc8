// Issue "Exactly once for real", item 8: the packaged app's Electron fuses. electron-builder.yml is
// read, validated against its schema and turned into the @electron/fuses wire by electron-builder's
// own code (app-builder-lib), the same path `npm run dist` takes before it flips the fuses.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  asar?: unknown;
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string | number, unknown>> } };
};
const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };

const config = await getConfig(ROOT, resolve(ROOT, 'electron-builder.yml'), null);

describe('electron-builder fuses', () => {
  it('the config is valid for electron-builder', async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
  });

  it('closes the ways local code gets a Node with the app’s identity (and its safeStorage key)', async () => {
    expect(config.electronFuses).toBeDefined();
    const wire = await PlatformPackager.prototype.generateFuseConfig.call(null, config.electronFuses!);
    // ELECTRON_RUN_AS_NODE, NODE_OPTIONS / NODE_EXTRA_CA_CERTS, --inspect and SIGUSR1.
    expect(wire[FuseV1Options.RunAsNode]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    // Cookies encrypted on disk; app code only from the (integrity-checked, on macOS and Windows) asar.
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });

  it('packs the app into an asar, which OnlyLoadAppFromAsar needs', () => {
    expect(config.asar).toBe(true);
  });

  it('the app never forks a Node child through ELECTRON_RUN_AS_NODE (the RunAsNode fuse would break it)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const offenders: string[] = [];
    for (const dir of ['main/electron', 'main/serve', 'main/core', 'preload']) {
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = resolve(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/\.ts$/.test(e.name) && /ELECTRON_RUN_AS_NODE|child_process['"][^;]*\bfork\b|\bprocess\.fork\b/.test(readFileSync(p, 'utf8'))) offenders.push(p);
        }
      };
      walk(resolve(ROOT, dir));
    }
    expect(offenders).toEqual([]);
  });
});
