import crypto from 'node:crypto';
import test from 'ava';
import { DownloadLinks, LinkRefusal, readDownloadLink } from '../../appliance/access/download-links.ts';

const links = (publicUrl: string) => new DownloadLinks({ key: 'k'.repeat(32), publicUrl, ttlHours: 1, clock: () => new Date('2026-11-26T10:00:00Z') });

test('a signed link reads back as the file it names and the name it offers, under any public address', (t) => {
  const fileId = crypto.randomUUID();
  const name = 'Планёрка 2026-11-26 — видео.mp4';
  for (const publicUrl of ['https://rec.example.org', 'https://example.org/recordings', 'http://127.0.0.1:8080']) {
    const { url } = links(publicUrl).sign(fileId, name);
    t.deepEqual(readDownloadLink(url), { fileId, name }, publicUrl);
  }
});

test('a link issued to one user names them, and cannot be moved onto another', (t) => {
  const fileId = crypto.randomUUID();
  const [viewer, other] = [crypto.randomUUID(), crypto.randomUUID()];
  const signer = links('https://rec.example.org');
  const { url } = signer.sign(fileId, 'video.mp4', viewer);
  const token = (u: string) => new URL(u).pathname.split('/').at(-2)!;
  t.deepEqual(signer.verify(token(url)), { fileId, viewerId: viewer });
  t.deepEqual(readDownloadLink(url), { fileId, name: 'video.mp4' });
  t.deepEqual(signer.verify(token(signer.sign(fileId, 'video.mp4').url)), { fileId, viewerId: null });
  t.is(t.throws(() => signer.verify(token(url).replace(viewer, other)), { instanceOf: LinkRefusal })?.status, 403);
});

test('what is not a download link is refused as one (404), not misread', (t) => {
  const { url } = links('https://rec.example.org').sign(crypto.randomUUID(), 'video.mp4');
  for (const bad of [url.replace(/\.[A-Za-z0-9_-]{43}\//, '.short/'), 'https://rec.example.org/d/', 'https://rec.example.org/video.mp4']) {
    const error = t.throws(() => readDownloadLink(bad), { instanceOf: LinkRefusal }, bad);
    t.is(error?.status, 404);
  }
});

test('a posted link reads back its file and expiry only when this appliance signed it', (t) => {
  const fileId = crypto.randomUUID();
  const signer = links('https://rec.example.org');
  const { url, expiresAt } = signer.sign(fileId, 'video.mp4');
  t.deepEqual(signer.expiryOf(url), { fileId, expiresAt });
  t.is(new DownloadLinks({ key: 'x'.repeat(32), publicUrl: 'https://rec.example.org', ttlHours: 1, clock: () => new Date() }).expiryOf(url), null, 'another key');
  for (const bad of [url.replace(/\.\d+\./, '.1.'), 'https://rec.example.org/d/', 'not a url']) t.is(signer.expiryOf(bad), null, bad);
});
