import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertPublicUrl, embeddedIPv4, guardedRequest, isPrivateAddress, UnsafeUrlError } from './index';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('refuses things that are not IP addresses', () => {
    expect(isPrivateAddress('localhost')).toBe(true);
  });

  // IPv4-translated (::ffff:0:a.b.c.d, RFC 6145/7915), NAT64 (RFC 6052), 6to4 (RFC 3056) and
  // Teredo (RFC 4380) forms reach the IPv4 address they carry: classified by that address.
  it.each([
    '::ffff:0:127.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:10.1.2.3',
    '::ffff:0:169.254.169.254',
    '::ffff:0:192.168.0.1',
    '::ffff:0:0.0.0.0',
    '64:ff9b::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::808:808', // local-use NAT64 (RFC 8215): a private translator
    '2002:a00:1::', // 6to4 of 10.0.0.1
    '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo, client 127.0.0.1 (stored inverted)
    '2001:0:a00:1:8000:63bf:f7f7:f7f7', // Teredo, server 10.0.0.1
    '::127.0.0.1', // IPv4-compatible (deprecated)
    '2001:db8::1',
    '3fff::1', // documentation (RFC 9637)
    '100::1',
    'fec0::1',
  ])('refuses the embedded or special-purpose IPv6 form %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['::ffff:0:8.8.8.8', '64:ff9b::8.8.8.8', '64:ff9b::5db8:d822', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7'])(
    'allows the embedded IPv6 form %s of a public IPv4 address',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );

  it('finds the IPv4 address inside translated, 6to4 and Teredo forms', () => {
    expect(embeddedIPv4('::ffff:0:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:0:a01:203')).toBe('10.1.2.3');
    expect(embeddedIPv4('2002:a00:1::')).toBe('10.0.0.1');
    expect(embeddedIPv4('2001:0:4136:e378:8000:63bf:80ff:fffe')).toBe('127.0.0.1');
  });

  it('finds the IPv4 address inside mapped and translated IPv6 forms', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('64:ff9b::808:808')).toBe('8.8.8.8');
    expect(embeddedIPv4('2606:4700::1')).toBeUndefined();
  });
});

describe('assertPublicUrl', () => {
  const check = (url: string, allowPrivate = false) => assertPublicUrl(url, { allowPrivate, label: 'webhook_url' });

  it.each([
    'http://127.0.0.1/hook',
    'http://10.0.0.8:8080/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[fc00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:0:127.0.0.1]/hook',
    'http://[::ffff:0:a9fe:a9fe]/latest/meta-data/',
    'http://[64:ff9b::10.0.0.8]/hook',
    'http://localhost:9999/hook', // a hostname that resolves to loopback
  ])('refuses %s with a message naming the fix', async (url) => {
    await expect(check(url)).rejects.toThrow(UnsafeUrlError);
    await expect(check(url)).rejects.toThrow(/ALLOW_PRIVATE_URLS=true/);
  });

  it('names the resolved address when a hostname resolves to loopback', async () => {
    await expect(check('http://localhost/x')).rejects.toThrow(/localhost \(resolves to (127\.0\.0\.1|::1)\)/);
  });

  it('accepts public IP literals without DNS', async () => {
    await expect(check('https://93.184.216.34/hook')).resolves.toBeInstanceOf(URL);
  });

  it('refuses other schemes even when private URLs are allowed', async () => {
    await expect(check('file:///etc/passwd', true)).rejects.toThrow(/must use http or https/);
    await expect(check('ftp://example.com/a.wav', true)).rejects.toThrow(/must use http or https/);
  });

  it('allows private destinations when ALLOW_PRIVATE_URLS is on', async () => {
    await expect(check('http://127.0.0.1:1/hook', true)).resolves.toBeInstanceOf(URL);
  });
});

describe('guardedRequest', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/final' }).end();
      } else if (request.url === '/to-file') {
        response.writeHead(302, { location: 'file:///etc/passwd' }).end();
      } else if (request.url === '/loop') {
        response.writeHead(302, { location: '/loop' }).end();
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${request.url}`);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const body = async (url: string, allowPrivate: boolean) => {
    const response = await guardedRequest(url, { allowPrivate, label: 'audio_url', maxRedirects: 3 });
    let text = '';
    for await (const chunk of response.body) text += String(chunk);
    return { status: response.status, text, url: response.url };
  };

  it('refuses a loopback literal at connect time', async () => {
    await expect(body(`http://127.0.0.1:${port}/x`, false)).rejects.toThrow(UnsafeUrlError);
  });

  it('refuses an IPv4-translated loopback literal at connect time', async () => {
    await expect(body(`http://[::ffff:0:127.0.0.1]:${port}/x`, false)).rejects.toThrow(/private, loopback or link-local address: ::ffff:0:7f00:1;/);
  });

  it('refuses a hostname whose DNS answer is loopback at connect time', async () => {
    await expect(body(`http://localhost:${port}/x`, false)).rejects.toThrow(/private, loopback or link-local/);
  });

  it('follows redirects when allowed, checking each hop', async () => {
    await expect(body(`http://127.0.0.1:${port}/redirect`, true)).resolves.toEqual({
      status: 200,
      text: 'hello from /final',
      url: `http://127.0.0.1:${port}/final`,
    });
  });

  it('refuses a redirect to another scheme', async () => {
    await expect(body(`http://127.0.0.1:${port}/to-file`, true)).rejects.toThrow(/must use http or https/);
  });

  it('stops redirect loops', async () => {
    await expect(body(`http://127.0.0.1:${port}/loop`, true)).rejects.toThrow(/more than 3 redirects/);
  });
});
