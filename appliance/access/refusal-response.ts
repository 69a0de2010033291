import type { Request, Response } from 'express';
import { sendError } from '../api/error-response.ts';
import type { DownloadRefusal } from './download-gate.ts';

const HEADINGS: Record<number, string> = {
  401: 'Войдите, чтобы скачать запись',
  403: 'Скачивание недоступно',
  404: 'Запись не найдена',
  410: 'Ссылка больше не действует',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * People follow download links in browsers and players; programs send Accept: application/json.
 * Both get the same status and words: a small page for the first, the API's error JSON for the others.
 */
export function sendRefusal(req: Request, res: Response, refusal: DownloadRefusal): void {
  if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.setHeader('Cache-Control', 'no-store');
  if (req.accepts(['json', 'html']) !== 'html') return sendError(res, refusal.status, refusal.code, refusal.message);
  const heading = HEADINGS[refusal.status] ?? 'Скачивание недоступно';
  res
    .status(refusal.status)
    .type('html')
    .send(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${heading}</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em"><h1 style="font-size:1.4em">${heading}</h1><p lang="en">${escapeHtml(refusal.message)}</p></body></html>`);
}
