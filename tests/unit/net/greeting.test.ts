// What a server's first words say it is, from the greetings real servers send, and from a real
// socket on loopback (a port that greets like SMTP, one that says nothing, a closed one).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { greetingLine, serviceOfGreeting, sniffGreeting } from '../../../main/core/net/index.js';

describe('serviceOfGreeting', () => {
  it.each([
    ['* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot (Debian) ready.\r\n', 'imap'],
    ['* PREAUTH IMAP4rev1 server logged in as pat\r\n', 'imap'],
    ['220 vm ESMTP Postfix (Debian/GNU)\r\n', 'smtp'],
    ['220-mx.example.com ESMTP ready\r\n220 more\r\n', 'smtp'],
    ['220 ProFTPD Server (ftp.example.com)\r\n', 'ftp'],
    ['+OK Dovecot ready.\r\n', 'pop3'],
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', 'ssh'],
    ['HTTP/1.1 400 Bad Request\r\n', 'http'],
    ['\u0015\u0003\u0003\u0000\u0002\u0002\u0032', 'tls'], // a TLS alert record (RFC 8446 §5.1)
    ['hello\r\n', 'unknown'],
    ['', 'unknown'],
  ])('%j → %s', (greeting, kind) => {
    expect(serviceOfGreeting(greeting)).toBe(kind);
  });

  it('reads a hostile greeting in linear time and keeps the line short and printable', () => {
    const hostile = `220 ${'ftp '.repeat(200_000)}\u0000\u001b[31m`;
    const t = performance.now();
    expect(serviceOfGreeting(hostile)).toBe('ftp');
    expect(performance.now() - t).toBeLessThan(50);
    expect(greetingLine('220 mx\u001b[31m ESMTP\r\nnext')).toBe('220 mx[31m ESMTP');
    expect(greetingLine(`220 ${'x'.repeat(300)}`)).toHaveLength(61);
  });
});

describe('sniffGreeting on loopback', () => {
  const servers: net.Server[] = [];
  const listen = (onConnection: (s: net.Socket) => void) =>
    new Promise<number>((resolve) => {
      const srv = net.createServer(onConnection);
      servers.push(srv);
      srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port));
    });
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  it('names an SMTP greeting, silence, and a closed port', async () => {
    const smtp = await listen((s) => s.end('220 rig.test ESMTP ready\r\n'));
    expect(await sniffGreeting('127.0.0.1', smtp)).toEqual({ kind: 'smtp', line: '220 rig.test ESMTP ready' });
    const quiet = await listen(() => undefined);
    expect(await sniffGreeting('127.0.0.1', quiet, 300)).toEqual({ kind: 'silent', line: '' });
    const closed = await listen(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    expect((await sniffGreeting('127.0.0.1', closed, 300)).kind).toBe('closed');
  });
});
