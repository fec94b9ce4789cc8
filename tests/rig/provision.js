#!/usr/bin/env node
// Makes sure the machine has what the integration and e2e tests need, before `vitest run`:
//   - Dovecot with IMAP and LMTP (Debian: dovecot-imapd, dovecot-lmtpd; both pull dovecot-core),
//   - a `vmail` system user and group that owns the test Maildirs (Dovecot refuses to run mail
//     processes as root, and uids below first_valid_uid),
//   - Debian's `chromium` for the e2e tests (playwright-core drives it; no browser download).
//   - Cyrus IMAP, the second IMAP server (tests/rig/cyrus.ts). Debian's cyrus-imapd and
//     dovecot-imapd conflict (both provide imap-server; installing one removes the other), so
//     cyrus-common (master, lmtpd, tools, libraries, the `cyrus` user) and sasl2-bin (saslpasswd2
//     for the private sasldb) are installed with apt, and cyrus-imapd, which holds just the imapd
//     binary, is fetched with `apt-get download` (the version of the installed cyrus-common:
//     imapd links against its libraries) and unpacked with `dpkg -x` into CYRUS_DIR.
// As root with apt-get it installs what is missing; otherwise it exits 1 with one line that says
// what to run. Plain JS on purpose: it runs before anything is compiled, with no dependencies.
// The all-present path only stats a few files and reads /etc/passwd, /etc/group, CYRUS_DIR's
// VERSION and dpkg's status file (a few ms).
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, chmodSync, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

const MAIL_USER = 'vmail';
/** Where cyrus-imapd is unpacked (tests/rig/cyrus-process.ts has the same path): outside the
 *  work tree, so every clone and worktree of the project shares one unpack. */
const CYRUS_DIR = '/var/lib/inbox-triage-rig/cyrus';
const CYRUS_IMAPD = join(CYRUS_DIR, 'usr/lib/cyrus/bin/imapd');
/** Every MTA package installs it. cyrus-common depends on `default-mta | mail-transport-agent`;
 *  when none is there, apt would pull exim4 (a mail daemon); dma is a small one with no daemon. */
const MTA_PRESENT = () => existsSync('/usr/sbin/sendmail');

/** What the tests need, each with the files that prove it is there and the packages that bring them. */
const NEEDS = [
  {
    name: 'dovecot',
    // /usr/lib/dovecot/imap and .../lmtp come from dovecot-imapd and dovecot-lmtpd; dovecot-core
    // alone has the master binary but neither protocol.
    present: () => ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/lmtp'].every(existsSync),
    packages: ['dovecot-imapd', 'dovecot-lmtpd'],
  },
  {
    name: 'chromium',
    // Installed without Recommends (which pull udev, upower, printing); fonts-liberation is the one
    // Recommends that matters: without a font with Arial/Times metrics, screenshots differ by machine.
    present: () => ['/usr/bin/chromium', '/usr/share/fonts/truetype/liberation'].every(existsSync),
    packages: ['chromium', 'fonts-liberation'],
  },
  {
    name: 'cyrus-common',
    present: () =>
      ['/usr/lib/cyrus/bin/master', '/usr/lib/cyrus/bin/lmtpd', '/usr/sbin/saslpasswd2'].every(existsSync) &&
      hasEntry('/etc/passwd', 'cyrus'),
    packages: ['cyrus-common', 'sasl2-bin', ...(MTA_PRESENT() ? [] : ['dma'])],
  },
];

/** The version dpkg has installed of a package, from its status file; null when not installed. */
function installedVersion(pkg) {
  let status;
  try {
    status = readFileSync('/var/lib/dpkg/status', 'utf8');
  } catch {
    return null;
  }
  for (const para of status.split('\n\n')) {
    if (!para.startsWith(`Package: ${pkg}\n`)) continue;
    if (!/^Status: .* installed$/m.test(para)) return null;
    const m = /^Version: (.*)$/m.exec(para);
    return m ? m[1] : null;
  }
  return null;
}

function unpackedCyrusVersion() {
  try {
    return existsSync(CYRUS_IMAPD) ? readFileSync(join(CYRUS_DIR, 'VERSION'), 'utf8').trim() : null;
  } catch {
    return null;
  }
}

/** cyrus-imapd must be unpacked at exactly the installed cyrus-common's version. */
const cyrusImapdPresent = () => {
  const common = installedVersion('cyrus-common');
  return common !== null && unpackedCyrusVersion() === common;
};

function hasEntry(file, name) {
  try {
    return readFileSync(file, 'utf8').split('\n').some((line) => line.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

const vmailPresent = () => hasEntry('/etc/passwd', MAIL_USER) && hasEntry('/etc/group', MAIL_USER);

function step(message) {
  process.stderr.write(`provision: ${message}\n`);
}

function attempt(cmd, args, opts = {}) {
  // Output goes to a buffer and is shown only on failure: apt is chatty.
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
  const tail = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim().split('\n').slice(-15);
  return { ok: r.status === 0, tail };
}

function run(cmd, args, opts = {}) {
  const r = attempt(cmd, args, opts);
  if (!r.ok) {
    process.stderr.write(`provision: FAILED: ${cmd} ${args.join(' ')}\n${r.tail.join('\n')}\n`);
    process.exit(1);
  }
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** Runs apt-get install with Debian's policy-rc.d hook saying "don't start services" (exit 101)
 *  when the machine has no such hook of its own: cyrus-common's postinst would otherwise start a
 *  system-wide Cyrus on /etc/imapd.conf (and fail the install where that cannot work). The rig
 *  runs its own instances; the hook is removed again right after. */
function aptInstall(packages) {
  const ownHook = !existsSync(POLICY_RC_D);
  if (ownHook) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# inbox-triage provisioning: no service starts during apt-get install\nexit 101\n', { mode: 0o755 });
  try {
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  } finally {
    if (ownHook) unlinkSync(POLICY_RC_D);
  }
}

let aptUpdated = false;
function aptUpdate() {
  if (aptUpdated) return;
  step('apt-get update');
  run('apt-get', ['update', '-qq']);
  aptUpdated = true;
}

/** apt-get download cyrus-imapd=VERSION into `work`; true when a .deb is there. */
function downloadCyrusImapd(work, version) {
  step(`apt-get download cyrus-imapd=${version}`);
  return attempt('apt-get', ['download', `cyrus-imapd=${version}`], { cwd: work });
}

/** Fetches cyrus-imapd at the installed cyrus-common's version and unpacks it (dpkg -x) into a
 *  fresh dir next to CYRUS_DIR, then swaps it in with a rename, so CYRUS_DIR is never half
 *  unpacked. When that version is no longer in the archive (a security update replaced it),
 *  apt-get update, and if need be upgrade cyrus-common, so that both match again. */
function unpackCyrusImapd() {
  const parent = dirname(CYRUS_DIR);
  mkdirSync(parent, { recursive: true, mode: 0o755 });
  const work = mkdtempSync(join(parent, '.cyrus-unpack-'));
  try {
    // apt's download sandbox user (_apt) must be able to write there, else apt warns.
    chmodSync(work, 0o777);
    let version = installedVersion('cyrus-common');
    let r = downloadCyrusImapd(work, version);
    if (!r.ok && !aptUpdated) {
      aptUpdate();
      r = downloadCyrusImapd(work, version);
    }
    if (!r.ok) {
      step('apt-get install cyrus-common (to a version whose cyrus-imapd can be downloaded)');
      aptInstall(['cyrus-common']);
      version = installedVersion('cyrus-common');
      r = downloadCyrusImapd(work, version);
    }
    if (!r.ok) {
      process.stderr.write(`provision: FAILED: apt-get download cyrus-imapd=${version}\n${r.tail.join('\n')}\n`);
      process.exit(1);
    }
    const deb = readdirSync(work).find((f) => f.startsWith('cyrus-imapd_') && f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download left no cyrus-imapd .deb');
    const root = join(work, 'root');
    run('dpkg', ['-x', join(work, deb), root]);
    writeFileSync(join(root, 'VERSION'), `${version}\n`);
    chmodSync(root, 0o755);
    if (existsSync(CYRUS_DIR)) renameSync(CYRUS_DIR, join(work, 'old'));
    renameSync(root, CYRUS_DIR);
    step(`cyrus-imapd ${version} unpacked in ${CYRUS_DIR}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const missing = NEEDS.filter((n) => !n.present());
const needVmail = !vmailPresent();
const needImapd = !cyrusImapdPresent();
if (missing.length === 0 && !needVmail && !needImapd) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const packages = missing.flatMap((n) => n.packages);

if (!isRoot || ((packages.length > 0 || needImapd) && !hasApt)) {
  const what = [
    ...missing.map((n) => n.name),
    ...(needVmail ? [`${MAIL_USER} user`] : []),
    ...(needImapd ? [`cyrus-imapd unpacked in ${CYRUS_DIR}`] : []),
  ].join(', ');
  const cmds = [];
  if (packages.length > 0) cmds.push(`sudo apt-get install -y ${packages.join(' ')}`);
  if (needVmail) cmds.push(`sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${MAIL_USER}`);
  // The unpack is this script's own work (apt-get download + dpkg -x at the installed version).
  if (needImapd) cmds.push('sudo node tests/rig/provision.js');
  process.stderr.write(`missing ${what}: run  ${cmds.join('  &&  ')}\n`);
  process.exit(1);
}

if (packages.length > 0) {
  aptUpdate();
  step(`apt-get install ${packages.join(' ')}`);
  aptInstall(packages);
  const still = NEEDS.filter((n) => !n.present()).map((n) => n.name);
  if (still.length > 0) {
    process.stderr.write(`provision: still missing after apt-get install: ${still.join(', ')}\n`);
    process.exit(1);
  }
}

if (needVmail) {
  step(`create system user ${MAIL_USER}`);
  // --user-group creates the group of the same name; a group left over from an earlier try
  // makes useradd fail, so reuse it then.
  const groupExists = hasEntry('/etc/group', MAIL_USER);
  run('useradd', [
    '--system', ...(groupExists ? ['--gid', MAIL_USER] : ['--user-group']),
    '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', MAIL_USER,
  ]);
}
// Checked again after the packages: an apt-get install may have installed or upgraded cyrus-common.
if (!cyrusImapdPresent()) {
  unpackCyrusImapd();
  if (!cyrusImapdPresent()) {
    process.stderr.write(`provision: cyrus-imapd is still not unpacked in ${CYRUS_DIR}\n`);
    process.exit(1);
  }
}
step('ok');
