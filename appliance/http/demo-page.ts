import type { RequestHandler } from 'express';
import { DEMO_SERVERS, DEMO_USERS } from '../auth/demo-identities.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A page that signs a person in as a demo user and keeps the token where the web client looks. */
export const demoSignInPage: RequestHandler = (_req, res) => {
  const rows = DEMO_USERS.map(
    (u) => `<li><button type="button" data-user="${escapeHtml(u.sub)}">${escapeHtml(u.name)}</button> <small>${escapeHtml(DEMO_SERVERS[u.server].name)}</small></li>`,
  ).join('\n');
  res.type('html').send(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Вход (демо)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}li{margin:.5rem 0}button{font-size:1rem;padding:.4rem .8rem}code{word-break:break-all}</style></head>
<body><h1>Вход для демонстрации</h1>
<p>Выберите пользователя. Токен сохранится в браузере для веб-клиента; для API передавайте его в заголовке <code>Authorization: Bearer …</code>.</p>
<ul>${rows}</ul>
<p id="result" role="status"></p>
<script>
for (const b of document.querySelectorAll('button[data-user]')) b.addEventListener('click', async () => {
  const r = await fetch('/api/demo/token', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user: b.dataset.user})});
  const out = document.getElementById('result');
  if (!r.ok) { out.textContent = 'Ошибка: ' + (await r.json()).error.message; return; }
  const {token} = await r.json();
  localStorage.setItem('appliance.token', token);
  out.innerHTML = 'Вы вошли как <b></b>. <a href="/">Открыть клиент</a><br>Токен: <code></code>';
  out.querySelector('b').textContent = b.textContent; out.querySelector('code').textContent = token;
});
</script></body></html>`);
};
