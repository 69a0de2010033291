import express from 'express';
import type { Router } from 'express';
import type { WebClientBundle } from './bundle.ts';

/** The client runs only its own code: no inline script, no other origin, media only from WebRTC. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function page(bundle: WebClientBundle): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Запись ВКС</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${bundle.style}">
<script type="module" src="/assets/${bundle.script}"></script>
</head>
<body><div id="app"></div><noscript>Для работы клиента нужен JavaScript. / The client needs JavaScript.</noscript></body>
</html>
`;
}

/** Serves the single-page web client at `/` and its bundle under `/assets/`. */
export function webClientRoutes(bundle: WebClientBundle): Router {
  const router = express.Router();
  const html = page(bundle);
  router.get('/', (_req, res) => {
    res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    res.type('html').send(html);
  });
  router.get('/assets/:name', (req, res, next) => {
    const asset = bundle.assets.get(req.params.name);
    if (!asset) return next();
    res.set({ 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    res.send(Buffer.from(asset.body.buffer, asset.body.byteOffset, asset.body.byteLength));
  });
  return router;
}
