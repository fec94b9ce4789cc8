// Power-loss model for a child process (loaded with NODE_OPTIONS="--import <this file>"): records
// which bytes of each file the process made durable, so a test can cut the power after killing
// it: every file under the data dir goes back to what its last fsync covered (tests/rig/power-loss.ts
// applies it). Only what an fsync covered survives a power cut: the page cache is lost.
//
// Recorded, one JSON line each, to TRIAGE_TEST_DURABLE_LOG (appended synchronously):
//   {"sync": path, "size": n}     after an fsync of a file (FileHandle#sync, fs.fsyncSync, fs.fsync)
//   {"rename": from, "to": path}  after a rename (its data is what the old name's last fsync covered)
// Paths come from /proc/self/fd (Linux). TRIAGE_TEST_DURABLE_IGNORE=suffix makes fsyncs of files
// ending so count for nothing (a control: "this store is not fsynced").
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const log = process.env.TRIAGE_TEST_DURABLE_LOG;
const ignore = process.env.TRIAGE_TEST_DURABLE_IGNORE || null;

if (log) {
  const note = (record) => fs.appendFileSync(log, JSON.stringify(record) + '\n');
  const pathOf = (fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return null;
    }
  };
  const synced = (fd) => {
    const path = pathOf(fd);
    if (!path || (ignore && path.endsWith(ignore))) return;
    try {
      const st = fs.fstatSync(fd);
      if (st.isFile()) note({ sync: path, size: st.size });
    } catch {
      // a descriptor closed meanwhile: nothing to record
    }
  };

  const handle = await fsp.open(new URL(import.meta.url), 'r');
  const FileHandle = Object.getPrototypeOf(handle);
  await handle.close();
  for (const name of ['sync', 'datasync']) {
    const real = FileHandle[name];
    FileHandle[name] = async function (...args) {
      const r = await real.apply(this, args);
      synced(this.fd);
      return r;
    };
  }
  for (const name of ['fsyncSync', 'fdatasyncSync']) {
    const real = fs[name];
    fs[name] = function (fd, ...args) {
      const r = real.call(this, fd, ...args);
      synced(fd);
      return r;
    };
  }
  for (const name of ['fsync', 'fdatasync']) {
    const real = fs[name];
    fs[name] = function (fd, cb) {
      return real.call(this, fd, (err) => {
        if (!err) synced(fd);
        cb(err);
      });
    };
  }
  const realRenameSync = fs.renameSync;
  fs.renameSync = function (from, to) {
    const r = realRenameSync.call(this, from, to);
    note({ rename: resolve(String(from)), to: resolve(String(to)) });
    return r;
  };
  const realRename = fsp.rename;
  fsp.rename = async function (from, to) {
    const r = await realRename.call(this, from, to);
    note({ rename: resolve(String(from)), to: resolve(String(to)) });
    return r;
  };
  const realRenameCb = fs.rename;
  fs.rename = function (from, to, cb) {
    return realRenameCb.call(this, from, to, (err) => {
      if (!err) note({ rename: resolve(String(from)), to: resolve(String(to)) });
      cb(err);
    });
  };
  syncBuiltinESMExports();
}
