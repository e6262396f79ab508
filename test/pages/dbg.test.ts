import { it } from 'vitest';
import { buildTestApp } from '../helpers/app.js';
it('dbg', async () => {
  const t = await buildTestApp();
  await t.admin({ method: 'POST', url: '/admin/v1/console-users', payload: { email: 'a@b.test', name: 'A', password: 'correct horse battery' } });
  let r = await t.app.inject({ url: '/console/sign-in' });
  const csrfCookie = String(r.headers['set-cookie']).split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(r.body)![1];
  r = await t.app.inject({ method: 'POST', url: '/console/sign-in', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}&email=a%40b.test&password=correct+horse+battery&next=%2Fconsole` });
  console.log(r.statusCode, r.headers, r.body.slice(0, 500));
  const session = [r.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
  r = await t.app.inject({ url: '/console', headers: { cookie: session } });
  console.log(r.statusCode, r.body.slice(0, 3000));
  await t.close();
}, 60000);
