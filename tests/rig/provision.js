#!/usr/bin/env node
// Makes sure the machine has what the integration and e2e tests need, before `vitest run`:
//   - Dovecot with IMAP and LMTP (Debian: dovecot-imapd, dovecot-lmtpd; both pull dovecot-core),
//   - a `vmail` system user and group that owns the test Maildirs (Dovecot refuses to run mail
//     processes as root, and uids below first_valid_uid),
//   - Debian's `chromium` for the e2e tests (playwright-core drives it; no browser download).
// As root with apt-get it installs what is missing; otherwise it exits 1 with one line that says
// what to install. Plain JS on purpose: it runs before anything is compiled, with no dependencies.
// The all-present path only stats a few files and reads /etc/passwd and /etc/group (a few ms).
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const MAIL_USER = 'vmail';

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
];

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

function run(cmd, args) {
  // Output goes to a buffer and is shown only on failure: apt is chatty.
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim().split('\n').slice(-15);
    process.stderr.write(`provision: FAILED: ${cmd} ${args.join(' ')}\n${tail.join('\n')}\n`);
    process.exit(1);
  }
}

const missing = NEEDS.filter((n) => !n.present());
const needVmail = !vmailPresent();
if (missing.length === 0 && !needVmail) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
const packages = missing.flatMap((n) => n.packages);

if (!isRoot || (packages.length > 0 && !hasApt)) {
  const what = [...missing.map((n) => n.name), ...(needVmail ? [`${MAIL_USER} user`] : [])].join(', ');
  const cmds = [];
  if (packages.length > 0) cmds.push(`sudo apt-get install -y ${packages.join(' ')}`);
  if (needVmail) cmds.push(`sudo useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${MAIL_USER}`);
  process.stderr.write(`missing ${what}: run  ${cmds.join('  &&  ')}\n`);
  process.exit(1);
}

if (packages.length > 0) {
  step('apt-get update');
  run('apt-get', ['update', '-qq']);
  step(`apt-get install ${packages.join(' ')}`);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
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
step('ok');
